// Tariff periods in words, the next change, off-peak windows and the PUT /tariff body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describePeriod, periodLabel, nextChange, parseWindows, offpeakMinutes, tariffBody } from '../../js/tariff_periods.js';

const fr = JSON.parse(readFileSync(new URL('../../i18n/fr.json', import.meta.url), 'utf8'));
const en = JSON.parse(readFileSync(new URL('../../i18n/en.json', import.meta.url), 'utf8'));
const tr = (cat) => (k, vars = {}) => cat[k].replace(/\{(\w+)\}/g, (m, v) => vars[v]);

test('periods are described by their name: Tempo colour, off-peak or not, custom names as they are', () => {
  assert.deepEqual(describePeriod('tempo_red_hp'), { key: 'period_tempo_hp', colour: 'red', offpeak: false, custom: null });
  assert.deepEqual(describePeriod('hc'), { key: 'period_hc', colour: null, offpeak: true, custom: null });
  assert.equal(describePeriod('base').offpeak, false);
  assert.equal(describePeriod('weekend').custom, 'weekend');
  assert.equal(describePeriod('tempo_green_hp').custom, 'tempo_green_hp', 'not a Tempo colour');
});

test('period labels say the colour in words, in French and English', () => {
  assert.equal(periodLabel('tempo_blue_hc', tr(fr)), 'Jour bleu, heures creuses');
  assert.equal(periodLabel('tempo_red_hp', tr(en)), 'Red day, peak hours');
  assert.equal(periodLabel('hp', tr(fr)), 'Heures pleines');
  assert.equal(periodLabel('night', tr(fr)), 'night');
});

test('the next change is the first upcoming segment of another period', () => {
  const seg = (period, start_ms) => ({ period, start_ms });
  assert.deepEqual(nextChange({ upcoming: [seg('hc', 0), seg('hc', 5), seg('hp', 10)] }), seg('hp', 10));
  assert.equal(nextChange({ upcoming: [seg('base', 0)] }), null);
  assert.equal(nextChange(null), null);
});

test('one or two off-peak windows, crossing midnight or not', () => {
  const ws = parseWindows(['12:30-14:30', '01:30-07:30', '20:00-21:00']);
  assert.deepEqual(ws, [{ start: '12:30', end: '14:30' }, { start: '01:30', end: '07:30' }]);
  assert.deepEqual(parseWindows(['22h-6h', '22:00-06:00']), [{ start: '22:00', end: '06:00' }]);
  assert.equal(offpeakMinutes(ws), 8 * 60);
  assert.equal(offpeakMinutes([{ start: '22:00', end: '06:00' }]), 8 * 60);
});

test('the tariff body carries windows only for HP/HC', () => {
  const windows = [{ start: '12:30', end: '14:30' }, { start: '01:30', end: '07:30' }];
  assert.deepEqual(tariffBody({ option: 'hphc', kva: '9', billingDay: '5', windows }),
    { option: 'hphc', kva: 9, billing_day: 5, offpeak: ['12:30-14:30', '01:30-07:30'] });
  assert.deepEqual(tariffBody({ option: 'tempo', kva: '9', billingDay: '1', windows }), { option: 'tempo', kva: 9, billing_day: 1 });
});
