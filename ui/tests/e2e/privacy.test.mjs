// End to end: the "Partage" page against a real base station. A household reads the exact text,
// opts in per purpose (the half-hourly curve only after open data, by explicit choice), fills
// in its context, sees what is shared and the comparator's state, and revokes everything; the
// API confirms each step and the consent ledger keeps it. axe-core and screenshots as elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, axeViolations, screenshots } from './helpers.mjs';

let server, browser, page;
const errors = [];

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.request.post(`${server.url}/api/v1/setup`, {
    data: { username: 'alice', password: 'correct horse battery' }, headers: { Origin: server.url } });
  assert.equal(res.status(), 201);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const state = async () => (await page.request.get(`${server.url}/api/v1/privacy`)).json();

test('opt in with the exact text, choose the curve explicitly, then revoke everything', async () => {
  await page.goto(`${server.url}/#/privacy`);
  await page.getByRole('heading', { name: 'Partage et vie privée', level: 1 }).waitFor();
  const before = await state();
  // The exact French text of each purpose is on the page.
  for (const item of ['open_data', 'comparator', 'challenges', 'half_hour']) {
    await page.locator(`#consent-${item} blockquote`, { hasText: before.texts[item].fr.slice(0, 60) }).waitFor();
    assert.equal(await page.locator(`#consent-${item} blockquote`).textContent(), before.texts[item].fr);
  }
  // The curve cannot be chosen before open data.
  assert.equal(await page.locator('#consent-half_hour button').isDisabled(), true);
  await screenshots(page, 'privacy-1-off');
  assert.deepEqual(await axeViolations(page), [], 'axe on privacy (off)');

  await page.locator('#consent-open_data button', { hasText: "J'accepte ce texte" }).click();
  await page.getByRole('status').filter({ hasText: 'Accord enregistré' }).waitFor();
  await page.locator('#consent-half_hour button', { hasText: "J'accepte ce texte" }).click();
  await page.getByRole('status').filter({ hasText: 'Courbe par demi-heure' }).waitFor();
  let s = await state();
  assert.equal(s.consents.open_data.granted, true);
  assert.equal(s.consents.half_hour.granted, true);
  assert.equal(s.consents.comparator.granted, false);
  assert.equal(s.ledger.length, 2);
  assert.equal(s.ledger[0].lang, 'fr');
  assert.equal(s.ledger[0].text_version, before.texts.open_data.version);

  await page.getByLabel("Code INSEE de la commune ou de l'arrondissement").fill('75111');
  await page.getByLabel('Taille du foyer').selectOption('3-4');
  await page.locator('#privacy-context button[type=submit]').click();
  await page.getByRole('status').filter({ hasText: 'Contexte enregistré' }).waitFor();
  s = await state();
  assert.equal(s.context.area, '75111');
  assert.equal(s.context.household_size, '3-4');
  await page.getByText("Rien n'a été partagé.").waitFor();
  await page.getByText('Pas encore de comparaison').waitFor();
  await screenshots(page, 'privacy-2-on');
  assert.deepEqual(await axeViolations(page), [], 'axe on privacy (on)');

  await page.getByRole('button', { name: 'Tout retirer et effacer' }).click();
  await page.getByRole('status').filter({ hasText: 'Tous les accords sont retirés' }).waitFor();
  s = await state();
  for (const item of ['open_data', 'comparator', 'challenges', 'half_hour']) assert.equal(s.consents[item].granted, false, item);
  assert.equal(s.ledger.at(-1).granted, false);
  await page.locator('#privacy-ledger li', { hasText: 'retiré' }).first().waitFor();
  assert.deepEqual(errors, []);
});

test('in English, the same page speaks English', async () => {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Sharing and privacy', level: 1 }).waitFor();
  const s = await state();
  assert.equal(await page.locator('#consent-open_data blockquote').textContent(), s.texts.open_data.en);
});
