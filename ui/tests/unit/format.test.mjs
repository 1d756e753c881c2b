// Numbers and money in French and English, as the reader sees them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatKwh, formatEuro, formatPower, formatClock, formatNumber, formatPeriod, formatDay, formatDuration, formatPriceKwh } from '../../js/format.js';

// Intl separates French thousands with a narrow no-break space and puts a no-break space before €.
const plain = (s) => s.replace(/[\u202f\u00a0]/g, ' ');

test('kWh: one decimal from 10 kWh, two below, French and English separators', () => {
  assert.equal(plain(formatKwh(1234500, 'fr-FR')), '1 234,5 kWh');
  assert.equal(formatKwh(1234500, 'en-GB'), '1,234.5 kWh');
  assert.equal(formatKwh(420, 'fr-FR'), '0,42 kWh');
});

test('euros carry cents and the locale puts the sign', () => {
  assert.equal(plain(formatEuro(12.4, 'fr-FR')), '12,40 €');
  assert.equal(formatEuro(12.4, 'en-GB'), '€12.40');
  assert.equal(plain(formatEuro(0.005, 'fr-FR')), '0,01 €');
});

test('power in W below 10 kW, then kW', () => {
  assert.equal(plain(formatPower(1234, 'fr-FR')), '1 234 W');
  assert.equal(plain(formatPower(12345, 'fr-FR')), '12,3 kW');
  assert.equal(formatPower(12345, 'en-GB'), '12.3 kW');
});

test('a meter\'s apparent power is VA, never W', () => {
  assert.equal(plain(formatPower(2840, 'fr-FR', 'VA')), '2 840 VA');
  assert.equal(formatPower(12345, 'en-GB', 'VA'), '12.3 kVA');
  assert.equal(formatPower(500, 'en-GB', 'bogus'), '500 W');
});

test('missing values show a dash, never NaN', () => {
  assert.equal(formatKwh(null, 'fr-FR'), '—');
  assert.equal(formatEuro(undefined, 'fr-FR'), '—');
  assert.equal(formatPower(NaN, 'fr-FR'), '—');
  assert.equal(formatNumber(null, 'fr-FR'), '—');
});

test('clock times are in the household zone', () => {
  const t = Date.parse('2024-01-15T13:05:00Z');
  assert.equal(formatClock(t, 'fr-FR', 'Europe/Paris'), '14:05');
  assert.equal(formatClock(t, 'fr-FR', 'America/New_York'), '08:05');
});

test('period titles', () => {
  const from = Date.parse('2024-11-30T23:00:00Z');  // 1 December 2024 in Paris
  assert.equal(formatPeriod('month', from, 'fr-FR', 'Europe/Paris'), 'décembre 2024');
  assert.equal(formatPeriod('year', from, 'en-GB', 'Europe/Paris'), '2024');
  assert.equal(formatPeriod('week', from, 'en-GB', 'Europe/Paris', 'Week of {date}'), 'Week of 1 Dec 2024');
});

test('calendar dates are dates, whatever the zone; the first of the month is "1er" in French', () => {
  assert.equal(formatDay('2026-12-01', 'fr-FR'), '1er décembre 2026');
  assert.equal(formatDay('2026-12-31', 'fr-FR'), '31 décembre 2026');
  assert.equal(formatDay('2026-12-01', 'en-GB'), '1 December 2026');
  assert.equal(formatDay('2026-11-30', 'fr-FR', 'medium'), '30 nov. 2026');
  assert.equal(formatDay('30/11/2026', 'fr-FR'), '—');
});

test('durations in hours and minutes', () => {
  assert.equal(formatDuration(4.6, 'fr-FR'), '4 h 36 min');
  assert.equal(formatDuration(0.5, 'fr-FR'), '30 min');
  assert.equal(formatDuration(2, 'en-GB'), '2 h');
  assert.equal(formatDuration(null, 'fr-FR'), '—');
});

test('prices per kWh keep their four decimals', () => {
  assert.equal(plain(formatPriceKwh(0.2516, 'fr-FR')), '0,2516 €/kWh');
  assert.equal(plain(formatPriceKwh(0.27, 'fr-FR')), '0,27 €/kWh');
  assert.equal(formatPriceKwh(0.2065, 'en-GB'), '€0.2065/kWh');
  assert.equal(formatPriceKwh(undefined, 'fr-FR'), '—');
});
