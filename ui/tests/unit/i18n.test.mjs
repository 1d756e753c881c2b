// The message catalogues: same keys in French and English, and every key the code asks for exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n="([a-z0-9_]+)"/g)) used.add(m[1]);
  // Keys built at run time from a prefix and a known list of values.
  const dynamic = {
    level_: ['low', 'usual', 'high', 'very_high'], period_: ['day', 'week', 'month', 'year'],
    unit_: ['W', 'kWh', 'EUR'], chart_caption_: ['W', 'kWh', 'EUR'], role_: ['admin', 'member'],
    scope_: ['read', 'write'], lang_: ['fr', 'en'], tariff_option_: ['base', 'hphc', 'tempo'],
    nav_: ['now', 'history', 'settings'],
  };
  for (const [p, vals] of Object.entries(dynamic)) vals.forEach((v) => used.add(p + v));
  for (const s of ['language', 'admin', 'tariff', 'sensor', 'done']) used.add(`wizard_${s}_title`).add(`wizard_${s}_help`);
  assert.ok(used.size > 100);
  const missing = [...used].filter((k) => !(k in fr));
  assert.deepEqual(missing, []);
});
