// Local day/week/month/year boundaries in the household's zone, across DST changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodRange, shiftDate, zonedTime, localDate, startOfLocalDay, zoneOffsetMs, parseDate }
  from '../../js/time.js';

const PARIS = 'Europe/Paris';
const H = 3600000;

test('a plain Paris day starts at local midnight (22:00Z in summer) and lasts 24 h', () => {
  const r = periodRange('day', '2024-06-15', PARIS);
  assert.equal(new Date(r.from).toISOString(), '2024-06-14T22:00:00.000Z');
  assert.equal(r.to - r.from, 24 * H);
});

test('the spring-forward day lasts 23 hours, the autumn one 25', () => {
  const spring = periodRange('day', '2024-03-31', PARIS);
  assert.equal(new Date(spring.from).toISOString(), '2024-03-30T23:00:00.000Z');
  assert.equal(spring.to - spring.from, 23 * H);
  const autumn = periodRange('day', '2024-10-27', PARIS);
  assert.equal(new Date(autumn.from).toISOString(), '2024-10-26T22:00:00.000Z');
  assert.equal(autumn.to - autumn.from, 25 * H);
});

test('weeks start on Monday; the DST week is 167 hours', () => {
  const w = periodRange('week', '2024-03-31', PARIS);  // a Sunday
  assert.equal(w.start, '2024-03-25');
  assert.equal(w.to - w.from, 167 * H);
});

test('months and years follow the calendar (March 2024 = 743 h in Paris)', () => {
  const m = periodRange('month', '2024-03-15', PARIS);
  assert.equal(m.start, '2024-03-01');
  assert.equal(m.to - m.from, (31 * 24 - 1) * H);
  const y = periodRange('year', '2024-07-01', PARIS);
  assert.equal(new Date(y.from).toISOString(), '2023-12-31T23:00:00.000Z');
  assert.equal(y.to - y.from, 366 * 24 * H);  // leap year; DST hours cancel out
});

test('shifting clamps to the end of a shorter month and crosses years', () => {
  assert.equal(shiftDate('month', '2024-01-31', 1), '2024-02-29');
  assert.equal(shiftDate('month', '2024-01-15', -1), '2023-12-15');
  assert.equal(shiftDate('day', '2024-03-31', 1), '2024-04-01');
  assert.equal(shiftDate('week', '2024-12-30', 1), '2025-01-06');
  assert.equal(shiftDate('year', '2024-02-29', -1), '2023-02-28');
});

test('a wall time skipped in spring maps after the gap; a repeated one to its first instant', () => {
  assert.equal(new Date(zonedTime(2024, 3, 31, 2, 30, PARIS)).toISOString(), '2024-03-31T01:30:00.000Z');
  assert.equal(new Date(zonedTime(2024, 10, 27, 2, 30, PARIS)).toISOString(), '2024-10-27T00:30:00.000Z');
});

test('the local date and start of day use the household zone, not UTC', () => {
  const t = Date.parse('2024-06-14T22:30:00Z');  // 00:30 on the 15th in Paris
  assert.equal(localDate(t, PARIS), '2024-06-15');
  assert.equal(localDate(t, 'UTC'), '2024-06-14');
  assert.equal(startOfLocalDay(t, PARIS), Date.parse('2024-06-14T22:00:00Z'));
  assert.equal(zoneOffsetMs(t, PARIS), 2 * H);
  assert.equal(periodRange('day', '2024-11-03', 'America/New_York').to -
               periodRange('day', '2024-11-03', 'America/New_York').from, 25 * H);
});

test('malformed dates are refused', () => {
  assert.equal(parseDate('2024-02-30'), null);
  assert.equal(parseDate('24-02-01'), null);
  assert.throws(() => periodRange('day', 'nope', PARIS));
});
