// The message catalogues: same keys in French and English, and every key the code asks for exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_KINDS, TIP_IDS, CHALLENGE_KINDS, CHALLENGE_STATUSES, BADGE_IDS } from '../../js/insight_text.js';
import { KWH_USES, TOPICS } from '../../js/learn_facts.js';

const ui = new URL('../../', import.meta.url).pathname;
const fr = JSON.parse(readFileSync(join(ui, 'i18n/fr.json'), 'utf8'));
const en = JSON.parse(readFileSync(join(ui, 'i18n/en.json'), 'utf8'));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [readFileSync(join(dir, e.name), 'utf8')] : []);
}

test('French and English have the same keys and no empty message', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
  for (const [k, v] of Object.entries({ ...fr, ...en })) assert.ok(v.trim(), `empty message ${k}`);
});

test('placeholders match between languages', () => {
  const ph = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
  for (const k of Object.keys(fr)) assert.equal(ph(en[k]), ph(fr[k]), k);
});

test('every key the code and index.html use is in the catalogue', () => {
  const code = sources(join(ui, 'js')).join('\n');
  const used = new Set([...code.matchAll(/\bt\('([a-z0-9_]+)'/g)].map((m) => m[1]));
  // Keys chosen by a condition, t(c ? 'a' : 'b'), and keys returned by the insight renderer.
  for (const m of code.matchAll(/\? '([a-z0-9]+_[a-z0-9_]+)' : '([a-z0-9]+_[a-z0-9_]+)'/g)) used.add(m[1]).add(m[2]);
  for (const m of code.matchAll(/ : '([a-z0-9]+_[a-z0-9_]+)'\)/g)) used.add(m[1]);
  for (const m of code.matchAll(/\btn\('([a-z0-9_]+)'/g)) used.add(`${m[1]}_one`).add(`${m[1]}_other`);
  for (const m of code.matchAll(/\bkey: '([a-z0-9_]+)'/g)) used.add(m[1]);
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n="([a-z0-9_]+)"/g)) used.add(m[1]);
  // Keys built at run time from a prefix and a known list of values.
  const dynamic = {
    level_: ['low', 'usual', 'high', 'very_high'], period_: ['day', 'week', 'month', 'year', 'base', 'hp', 'hc', 'tempo_hp', 'tempo_hc'],
    unit_: ['W', 'kWh', 'EUR'], chart_caption_: ['W', 'kWh', 'EUR'], role_: ['admin', 'member'],
    scope_: ['read', 'write'], lang_: ['fr', 'en'], tariff_option_: ['base', 'hphc', 'tempo', 'grid'],
    nav_: ['now', 'history', 'bill', 'goals', 'tips', 'learn', 'privacy', 'settings'], tempo_: ['blue', 'white', 'red'],
    alert_kind_: ALERT_KINDS, alert_: ALERT_KINDS, alert_state_: ['open', 'acknowledged', 'closed'],
    tip_: TIP_IDS, challenge_: CHALLENGE_KINDS, challenge_name_: [...CHALLENGE_KINDS, 'other'], challenge_status_: [...CHALLENGE_STATUSES, 'none'],
    target_status_: ['on_track', 'at_risk', 'over', 'none'], target_unit_: ['eur', 'kwh'],
    badge_: BADGE_IDS, learn_use_: KWH_USES.map((u) => u.id), learn_tariff_: ['base', 'hphc', 'tempo', 'grid'],
    price_per_: ['month', 'year'], bill_col_: ['period', 'energy', 'cost'],
    sensor_origin_: ['tic', 'mqtt', 'http', 'import'],
    privacy_item_: ['open_data', 'half_hour', 'comparator', 'challenges'],
    privacy_: ['household_size', 'heating', 'dwelling'], privacy_household_size_: ['1', '2', '3_4', '5_'],
    privacy_heating_: ['electric', 'heat_pump', 'gas', 'other'], privacy_dwelling_: ['flat', 'house'],
    privacy_state_: ['pending', 'tokened', 'sent', 'failed', 'cancelled'],
  };
  for (const [p, vals] of Object.entries(dynamic)) vals.forEach((v) => used.add(p + v));
  for (const b of BADGE_IDS) used.add(`badge_${b}_help`);
  for (const k of TOPICS) used.add(`learn_${k}_title`);
  for (const s of ['language', 'admin', 'tariff', 'sensor', 'done']) used.add(`wizard_${s}_title`).add(`wizard_${s}_help`);
  assert.ok(used.size > 100);
  const missing = [...used].filter((k) => !(k in fr));
  assert.deepEqual(missing, []);
  const unused = Object.keys(fr).filter((k) => !used.has(k));
  assert.deepEqual(unused, [], 'catalogue keys no code uses');
});
