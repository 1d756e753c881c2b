// "Usual for this hour" and when a sensor counts as silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usualPowerForHour, compareToUsual, median, bucketLocalHour } from '../../js/usual.js';

const H = 3600000;
function bucket(day, hour, wh, coverage = 1) {
  const start = Date.UTC(2024, 3, day, hour - 2);  // Paris summer time = UTC+2
  const hh = String(hour).padStart(2, '0'), dd = String(day).padStart(2, '0');
  return { start: `2024-04-${dd}T${hh}:00:00+02:00`, start_ms: start, end_ms: start + H, energy_wh: wh, coverage };
}

test('bucketLocalHour reads the local hour, not the UTC one', () => {
  assert.equal(bucketLocalHour(bucket(1, 19, 0)), 19);
});

test('usual power is the median Wh of the same local hour, ignoring poorly covered hours', () => {
  const b = [bucket(1, 19, 400), bucket(2, 19, 600), bucket(3, 19, 2000), bucket(4, 19, 500),
    bucket(5, 19, 9999, 0.2), bucket(1, 20, 50), bucket(2, 20, 50), bucket(3, 20, 50)];
  assert.equal(usualPowerForHour(b, 19), 550);  // median of 400, 500, 600, 2000
  assert.equal(usualPowerForHour(b, 20), 50);
  assert.equal(usualPowerForHour(b, 21), null);
  assert.equal(usualPowerForHour(b.slice(0, 2), 19), null);  // 2 days: not enough
});

test('a 23-hour-long DST bucket is not assumed to be one hour', () => {
  const b = [1, 2, 3].map((d) => ({ ...bucket(d, 3, 1000), end_ms: bucket(d, 3, 0).start_ms + 2 * H }));
  assert.equal(usualPowerForHour(b, 3), 500);
});

test('comparison words', () => {
  assert.equal(compareToUsual(300, 500), 'low');
  assert.equal(compareToUsual(500, 500), 'usual');
  assert.equal(compareToUsual(625, 500), 'usual');
  assert.equal(compareToUsual(900, 500), 'high');
  assert.equal(compareToUsual(1200, 500), 'very_high');
  assert.equal(compareToUsual(100, null), null);
  assert.equal(median([3, 1, 2]), 2);
});

test('a sensor is silent a minute after its last frame, or after its pairing if it never sent', async () => {
  const { silentSince } = await import('../../js/live.js');
  const t = Date.parse('2024-04-01T10:00:00Z');
  assert.equal(silentSince(t, t - 86400000, t + 60000), 0);
  assert.equal(silentSince(t, t - 86400000, t + 60001), t);
  assert.equal(silentSince(0, t, t + 30000), 0, 'just paired: not silent yet');
  assert.equal(silentSince(0, t, t + 90000), t, 'never heard: silent since its pairing');
  assert.equal(silentSince(0, 0, t), 0, 'nothing known: nothing said');
});
