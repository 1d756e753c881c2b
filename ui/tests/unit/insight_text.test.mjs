// Insights rendered from their kind and params through our catalogue, never from `message`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { alertText, tipText, challengeText, challengeProgress, challengeResultText, badgeKey, render, formatAmount,
  ALERT_KINDS, TIP_IDS, CHALLENGE_KINDS, BADGE_IDS } from '../../js/insight_text.js';

const fr = JSON.parse(readFileSync(new URL('../../i18n/fr.json', import.meta.url), 'utf8'));
const en = JSON.parse(readFileSync(new URL('../../i18n/en.json', import.meta.url), 'utf8'));
const tr = (cat) => (k, vars = {}) => cat[k].replace(/\{(\w+)\}/g, (m, v) => (v in vars ? vars[v] : m));
const plain = (s) => s.replace(/[\u202f\u00a0]/g, ' ');
const TZ = 'Europe/Paris';
const say = (x, cat = fr, lang = 'fr') => plain(render(x, tr(cat), lang));

test('every alert kind of the contract has its sentence, with the numbers filled in', () => {
  const alerts = {
    sensor_silent: { sensor: 2, name: 'Garage', since_ms: Date.parse('2026-12-03T13:05:00Z') },
    battery_low: { sensor: 1, name: 'Cuisine', supply_mv: 2550 },
    near_subscribed_power: { sensor: 1, power_w: 5600, limit_w: 6000, kva: 6 },
    unusual_night: { sensor: 1, night: '2026-12-02', watts: 260, usual_w: 140 },
    target_at_risk: { unit: 'eur', target: '45.00', projection: '52.30', month: '2026-12' },
  };
  assert.deepEqual(Object.keys(alerts), ALERT_KINDS);
  for (const [kind, params] of Object.entries(alerts)) {
    const s = say(alertText({ kind, params, message: 'ENGLISH' }, 'fr-FR', TZ));
    assert.doesNotMatch(s, /\{|ENGLISH|undefined|NaN/, `${kind}: ${s}`);
  }
  assert.match(say(alertText({ kind: 'sensor_silent', params: alerts.sensor_silent }, 'fr-FR', TZ)), /« Garage ».*3 déc\. 2026.*14:05/);
  assert.match(say(alertText({ kind: 'battery_low', params: alerts.battery_low }, 'fr-FR', TZ)), /2,55 V/);
  assert.match(say(alertText({ kind: 'near_subscribed_power', params: alerts.near_subscribed_power }, 'fr-FR', TZ)), /5 600 W.*6 000 W, 6 kVA/);
  assert.match(say(alertText({ kind: 'unusual_night', params: alerts.unusual_night }, 'fr-FR', TZ)), /2 déc\. 2026.*260 W.*140 W/);
  assert.match(say(alertText({ kind: 'target_at_risk', params: alerts.target_at_risk }, 'fr-FR', TZ)), /52,30 €.*45,00 €/);
  assert.match(say(alertText({ kind: 'target_at_risk', params: { ...alerts.target_at_risk, unit: 'kwh', target: 300, projection: 320.5 } }, 'fr-FR', TZ)), /320,5 kWh.*300,0 kWh/);
});

test('a battery alert without a voltage still reads well', () => {
  assert.equal(alertText({ kind: 'battery_low', params: { sensor: 3, name: 'X', supply_mv: null } }, 'fr-FR', TZ).key, 'alert_battery_low_flag');
});

test('tips give their yearly value in the reader\'s locale', () => {
  const saving = { micros: 42500000, eur: 42.5 };
  for (const id of TIP_IDS) {
    const tip = { id, saving_year: saving, saving_kwh_year: 180, params: { option: 'hphc', cost: { micros: 700000000 }, current_cost: { micros: 742500000 } }, message: 'ENGLISH' };
    const s = say(tipText(tip, 'fr-FR'));
    assert.doesNotMatch(s, /\{|ENGLISH|undefined|NaN/, `${id}: ${s}`);
  }
  assert.match(say(tipText({ id: 'switch_option', saving_year: saving, params: { option: 'hphc', cost: { micros: 700000000 }, current_cost: { micros: 742500000 } } }, 'fr-FR')), /700,00 €.*742,50 €/);
  assert.match(say(tipText({ id: 'switch_option', saving_year: saving, params: { option: 'tempo', cost: { micros: 1 }, current_cost: { micros: 2 } } }, 'fr-FR')), /^L'option Tempo /);
  assert.match(say(tipText({ id: 'switch_option', saving_year: saving, params: { option: 'hphc', cost: { micros: 1 }, current_cost: { micros: 2 } } }, 'en-GB'), en, 'en'), /^The Peak \/ off-peak hours option/);
  assert.match(say(tipText({ id: 'high_baseload', saving_year: saving, saving_kwh_year: 180 }, 'en-GB'), en, 'en'), /180\.0 kWh/);
});

test('challenges, results and badges', () => {
  assert.deepEqual(CHALLENGE_KINDS, ['week_less_10', 'baseload_less_20w', 'peak_to_offpeak']);
  const c = { kind: 'week_less_10', goal_kwh: 98.1, usual_kwh: 109, params: { percent: 10 } };
  assert.match(say(challengeText(c, 'fr-FR')), /10 % de moins.*98,1 kWh.*109,0 kWh/);
  assert.equal(say(challengeResultText({ won: true, params: { saved_kwh: 12.4, saved: { micros: 2900000 } } }, 'fr-FR')), 'Réussi : 12,4 kWh économisés, soit 2,90 €.');
  assert.equal(challengeResultText({ won: false, params: {} }, 'fr-FR').key, 'challenge_lost');
  for (const id of BADGE_IDS) assert.ok(fr[badgeKey(id)] && fr[`${badgeKey(id)}_help`], id);
  assert.equal(badgeKey('made_up'), null);
});

test('an unknown kind never shows English to a French reader', () => {
  const x = alertText({ kind: 'fridge_door_open', params: {}, message: 'The fridge door is open' }, 'fr-FR', TZ);
  assert.match(say(x), /fridge_door_open/);
  assert.doesNotMatch(say(x), /The fridge/);
  assert.equal(render(x, tr(en), 'en'), 'The fridge door is open');
});

test('amounts of a target: decimal strings, numbers or money objects', () => {
  assert.equal(plain(formatAmount('45.00', 'eur', 'fr-FR')), '45,00 €');
  assert.equal(plain(formatAmount({ micros: 12340000 }, 'eur', 'fr-FR')), '12,34 €');
  assert.equal(plain(formatAmount(250, 'kwh', 'fr-FR')), '250,0 kWh');
  assert.equal(formatAmount(null, 'eur', 'fr-FR'), '—');
});

test('richer sentences when params carry the household\'s numbers, plain ones otherwise', () => {
  const saving = { micros: 42500000 };
  assert.match(say(tipText({ id: 'high_baseload', saving_year: saving, saving_kwh_year: 180, params: { watts: 142 } }, 'fr-FR')), /^Votre veille est de 142 W\./);
  assert.match(say(tipText({ id: 'water_heater_peak', saving_year: saving, params: { start: '07:00' } }, 'fr-FR')), /vers 07:00, en heures pleines/);
  assert.equal(tipText({ id: 'water_heater_peak', saving_year: saving, params: { start: '7h' } }, 'fr-FR').key, 'tip_water_heater_peak');
  assert.match(say(tipText({ id: 'tempo_red_days', saving_year: saving, params: { red_days: 12, red_cost: { micros: 61000000 } } }, 'fr-FR')), /Les 12 jours rouges Tempo vous ont coûté 61,00 €/);
  const base = { kind: 'baseload_less_20w', params: { goal_w: 122, usual_w: 142, so_far_w: 130 } };
  assert.match(say(challengeText(base, 'fr-FR')), /à 122 W ou moins .* 142 W/);
  assert.equal(challengeText({ kind: 'baseload_less_20w', params: {} }, 'fr-FR').key, 'challenge_baseload_less_20w');
  assert.match(say(challengeText({ kind: 'peak_to_offpeak', params: { goal_share: 0.35, usual_share: 0.3 } }, 'fr-FR')), /au moins 35 % .* 30 %/);
});

test('this week\'s progress: a bar only against an energy goal', () => {
  const p = challengeProgress({ kind: 'week_less_10', goal_kwh: 98.1, so_far_kwh: 41.2, projection_kwh: 96.3, params: {} }, 'fr-FR');
  assert.ok(Math.abs(p.share - 41.2 / 98.1) < 1e-12);
  assert.match(say(p), /41,2 kWh sur 98,1 kWh .* 96,3 kWh/);
  assert.equal(challengeProgress({ kind: 'week_less_10', goal_kwh: 98.1, so_far_kwh: 41.2, projection_kwh: null, params: {} }, 'fr-FR').key, 'challenge_progress_so_far');
  const w = challengeProgress({ kind: 'baseload_less_20w', params: { so_far_w: 130 } }, 'fr-FR');
  assert.equal(w.share, null);
  assert.equal(say(w), 'Votre veille cette semaine : 130 W.');
  assert.equal(challengeProgress({ kind: 'peak_to_offpeak', params: {} }, 'fr-FR'), null);
});
