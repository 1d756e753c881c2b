// Counted messages pick KEY_one or KEY_other by the language's plural rules (French: 0 and 1
// are singular; English: only 1).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const catalogue = (lang) => JSON.parse(readFileSync(new URL(`../../i18n/${lang}.json`, import.meta.url), 'utf8'));
let i18n;

before(async () => {
  // loadLang fetches the catalogue and records the choice: give it both from the files.
  globalThis.fetch = async (url) => ({ ok: true, json: async () => catalogue(/en\.json$/.test(url) ? 'en' : 'fr') });
  globalThis.localStorage = { setItem() {}, getItem() { return null; } };
  globalThis.document = { documentElement: {} };
  i18n = await import('../../js/i18n.js');
});

test('French: 0 and 1 take the singular', async () => {
  await i18n.loadLang('fr');
  assert.equal(i18n.tn('alerts_open_count', 1), '1 alerte ouverte');
  assert.equal(i18n.tn('alerts_open_count', 0), '0 alerte ouverte');
  assert.equal(i18n.tn('alerts_open_count', 3), '3 alertes ouvertes');
});

test('English: only 1 is singular', async () => {
  await i18n.loadLang('en');
  assert.equal(i18n.tn('challenge_streak', 1), '1 week won in a row.');
  assert.equal(i18n.tn('challenge_streak', 0), '0 weeks won in a row.');
  assert.equal(document.documentElement.lang, 'en');
});

test('every counted message has both forms in both languages', () => {
  for (const lang of ['fr', 'en']) {
    const c = catalogue(lang);
    for (const k of Object.keys(c).filter((x) => x.endsWith('_one'))) assert.ok(c[k.replace(/_one$/, '_other')], `${lang} ${k}`);
  }
});
