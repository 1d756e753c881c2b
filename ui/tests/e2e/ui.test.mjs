// End to end against a real base station with a simulated household: the wizard (two off-peak
// windows, a sensor paired from the UI), the live value, history navigation and units, the bill
// figures equal to the API's, a monthly target, acknowledging an alert, the Learn pages,
// settings (rename and remove a sensor), language, login and a read-only member. Every page is
// checked by axe-core (no serious or critical violation) and photographed at two sizes; the
// first screen is timed with the CPU slowed 4× and 6×.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { startServer, startBrowser, screenshots, waitFor, firstScreenMs, OUT } from './helpers.mjs';

let server, browser, context, page;
const ADMIN = { name: 'alice', password: 'correct horse battery' };
const MEMBER = { name: 'bob', password: "bob's long password" };
const errors = [];

async function checkPage(name) {
  assert.deepEqual(await screenshots(page, name), [], `axe on ${name}`);
}
const api = async (path) => {
  const r = await page.request.get(`${server.url}${path}`);
  return { status: r.status(), body: r.ok() ? await r.json() : null };
};
// The page's own formatting, so that a figure is compared with the API's number as text.
const euro = (v) => page.evaluate((x) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(x), v);
const eur = (m) => (Number.isInteger(m.micros) ? m.micros / 1e6 : m.cents / 100);
// A link of the menu (the tips link may carry a count of open alerts after its name).
const nav = (name) => page.locator('#nav').getByRole('link', { name: new RegExp(`^${name}( |$)`) });
const text = async (sel) => (await page.locator(sel).textContent()).trim();

before(async () => {
  // "Cave" is paired before the base starts and never sends: silent from its pairing.
  server = await startServer({ sensors: ['Cave'], config: '[alerts]\nsilent_after = "5s"\n' });
  browser = await startBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('first start: the wizard creates the admin, sets HP/HC with two windows, pairs a sensor', async () => {
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Choisissez votre langue' }).waitFor();
  await checkPage('wizard-1-language');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await page.getByRole('heading', { name: 'Créez le compte administrateur' }).waitFor();
  await page.getByLabel("Nom d'utilisateur").fill(ADMIN.name);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await checkPage('wizard-2-admin');
  await page.getByRole('button', { name: 'Créer le compte' }).click();

  await page.getByRole('heading', { name: "Votre tarif d'électricité" }).waitFor();
  await page.getByLabel('Option tarifaire').selectOption('hphc');
  await page.getByLabel("J'ai deux plages d'heures creuses").check();
  await page.locator('#wizard-tariff-offpeak1-start').fill('01:30');
  await page.locator('#wizard-tariff-offpeak1-end').fill('07:30');
  await page.locator('#wizard-tariff-offpeak2-start').fill('12:30');
  await page.locator('#wizard-tariff-offpeak2-end').fill('14:30');
  await page.locator('#wizard-tariff-offpeak2-end').dispatchEvent('change');
  assert.match(await text('#wizard-tariff-offpeak-hours'), /8 h 00/);
  await checkPage('wizard-3-tariff');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.getByRole('heading', { name: 'Associez votre premier capteur' }).waitFor();
  const saved = (await api('/api/v1/tariff')).body;
  assert.equal(saved.option, 'hphc');
  assert.deepEqual(saved.offpeak, ['01:30-07:30', '12:30-14:30']);

  await page.getByLabel('Nom du capteur').fill('Garage');
  await page.getByRole('button', { name: 'Créer le capteur' }).click();
  const key = await text('#wizard-pair-key');
  assert.match(key, /^[0-9a-f]{32}$/, 'the key is shown once, in hex');
  const garage = (await api('/api/v1/sensors')).body.sensors.find((s) => s.name === 'Garage');
  assert.ok(garage, 'the sensor exists on the base');
  assert.equal(await text('#wizard-pair-command'), `citizenwatt sensor provision --port /dev/ttyUSB0 --id ${garage.id}`);
  assert.ok(!JSON.stringify((await api('/api/v1/sensors')).body).includes(key), 'never shown again by the API');
  await page.locator('#wizard-sensors li', { hasText: 'Garage' }).waitFor();
  await page.locator('#wizard-sensors li', { hasText: 'Maison simulée' }).waitFor();
  await checkPage('wizard-4-sensor');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: "C'est prêt" }).waitFor();
  await checkPage('wizard-5-done');
  await page.getByRole('button', { name: 'Voir ma consommation' }).click();
  await page.getByRole('heading', { name: 'Maintenant', level: 1 }).waitFor();
});

test('now: the live power changes; its cost, the tariff period, today in kWh and €, the bill', async () => {
  const power = page.locator('#live-power');
  const first = await waitFor(async () => { const v = await power.textContent(); return /\d/.test(v) && v; }, { what: 'a live power' });
  await waitFor(async () => (await power.textContent()) !== first, { timeout: 30000, what: 'the live power to change' });
  assert.match(await power.textContent(), /^\d[\d\s\u202f]*(W|,\d kW)$/);
  await waitFor(async () => /Mis à jour à \d\d:\d\d/.test(await text('#live-status')), { what: 'the update time' });
  await waitFor(async () => /^\d+,\d+ kWh$/.test(await text('#today-kwh')), { what: "today's kWh" });
  await waitFor(async () => /€, dont .*\s€ d'abonnement/.test(await text('#today-eur')), { what: "today's €" });
  // Seven days of simulated history give a "usual" level, said in words, not only colour.
  await waitFor(async () => /d'habitude/.test(await text('#live-level')), { what: 'the usual level' });
  await waitFor(async () => /€ par heure, .*\s€ par mois/.test(await text('#live-cost')), { what: 'the cost at this rate' });
  const now = (await api('/api/v1/tariff/now')).body;
  await waitFor(async () => (await text('#tariff-period')).startsWith(now.period === 'hc' ? 'Heures creuses' : 'Heures pleines'), { what: 'the tariff period in words' });
  assert.match(await text('#tariff-next'), /^À \d\d:\d\d : Heures (creuses|pleines)/);
  const bill = (await api('/api/v1/bill?sensor=1')).body;
  await waitFor(async () => (await text('#bill-value')) === await euro(eur(bill.so_far.total)), { what: 'the bill so far' });
  await checkPage('now');
  // Keyboard: the first Tab reaches the skip link, which moves the focus to the content.
  await page.reload();
  await page.locator('#live-power', { hasText: /\d/ }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'main', { what: 'focus on the content' });
});

test('history: previous/next period, week view, unit switch (W, kWh, €), overlay; at most 2000 points', async () => {
  await nav('Historique').click();
  const chart = page.locator('#history-chart');
  await waitFor(async () => Number(await chart.getAttribute('data-points')) > 0, { what: 'the chart' });
  assert.ok(Number(await chart.getAttribute('data-points')) <= 2000);
  await waitFor(async () => /Total : \d/.test(await text('#history-total')), { what: 'the total' });
  // The always-on power is drawn as a band and said in words.
  const base = (await api('/api/v1/baseload?sensor=1')).body;
  if (typeof base.watts === 'number') {
    await waitFor(async () => (await text('#band-note')).startsWith(`Zone grise : votre veille, ${await page.evaluate((w) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(w), base.watts)} W`), { what: 'the always-on band' });
  }
  // Drag across the middle of the chart: it zooms, and the reset button becomes usable.
  const box = await page.locator('#history-chart .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitFor(() => page.locator('#zoom-reset').isEnabled(), { what: 'the zoom' });
  await page.locator('#zoom-reset').click();
  await waitFor(() => page.locator('#zoom-reset').isDisabled(), { what: 'the zoom reset' });
  const today = await text('#history-period');
  assert.ok(await page.locator('#history-next').isDisabled(), 'no next period after today');
  await checkPage('history-day-watts');

  await page.locator('#history-prev').click();
  await waitFor(async () => (await text('#history-period')) !== today, { what: 'the previous day' });
  assert.ok(await page.locator('#history-next').isEnabled());
  await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'history-prev', { what: 'focus kept on ◀' });

  await page.getByText('Semaine', { exact: true }).click();
  await waitFor(async () => /^Semaine du/.test(await text('#history-period')), { what: 'the week view' });
  await page.getByText('kWh', { exact: true }).click();
  await waitFor(async () => (await chart.getAttribute('data-unit')) === 'kWh', { what: 'the kWh view' });
  await page.getByLabel('Comparer avec la période précédente').check();
  await waitFor(async () => (await page.locator('#history-chart .u-legend .u-series').count()) === 3, { what: 'the overlay series' });
  await checkPage('history-week-kwh');

  await page.getByText('Euros', { exact: true }).click();
  await waitFor(async () => (await chart.getAttribute('data-unit')) === 'EUR', { what: 'the € view' });
  await waitFor(async () => /€ d'énergie \(\+ .*\s€ d'abonnement\)/.test(await text('#history-total')), { what: 'the € total' });
  await checkPage('history-week-euros');
  // Keyboard: arrows move between the period radios, and the view follows.
  await page.locator('#period-week').focus();
  await page.keyboard.press('ArrowRight');
  await waitFor(async () => /^[a-zéû]+ \d{4}$/.test(await text('#history-period')), { what: 'the month view from the keyboard' });
  assert.equal(await chart.getAttribute('data-unit') ?? 'EUR', 'EUR');
});

test('bill: the figures shown are the API\'s', async () => {
  await nav('Facture').click();
  await page.getByRole('heading', { name: 'Facture en cours', level: 1 }).waitFor();
  await page.locator('#bill-total').waitFor();
  const b = (await api('/api/v1/bill?sensor=1')).body;
  assert.equal(await text('#bill-total'), await euro(eur(b.so_far.total)));
  assert.equal(await text('#bill-total-row'), await euro(eur(b.so_far.total)));
  assert.equal(await text('#bill-projection'), await euro(eur(b.projection.total)));
  assert.equal(await text('#bill-interval'), `probablement entre ${await euro(eur(b.projection.low))} et ${await euro(eur(b.projection.high))}`);
  assert.equal(await text('#bill-subscription'), await euro(eur(b.so_far.subscription)));
  assert.ok(b.so_far.periods.length >= 1);
  for (const [i, p] of b.so_far.periods.entries()) {
    assert.equal(await text(`#bill-cost-${i}`), await euro(eur(p.cost)), `cost of ${p.period}`);
    assert.equal(await page.locator(`#bill-table tbody tr[data-period="${p.period}"]`).count(), 1);
  }
  if (b.last_year === null) await page.locator('#bill-last-year-none').waitFor();
  else assert.equal(await text('#bill-last-year'), await euro(eur(b.last_year.total)));
  await checkPage('bill');
});

test('goals: setting a monthly target in euros', async () => {
  await nav('Objectifs').click();
  await page.getByRole('heading', { name: 'Objectifs et défis', level: 1 }).waitFor();
  await page.getByLabel('Montant par mois').fill('45,50');
  await page.getByRole('button', { name: 'Enregistrer le budget' }).click();
  await waitFor(async () => (await api('/api/v1/target')).body?.target?.amount === '45.50', { what: 'the target saved' });
  await waitFor(async () => /45,50\s€/.test(await text('#target-amount')), { what: 'the target shown' });
  const g = (await api('/api/v1/target')).body;
  if (g.so_far.cost) assert.match(await text('#target-so-far'), new RegExp(`^Déjà : ${(await euro(eur(g.so_far.cost))).replace(/\s/g, '\\s')}`));
  // This week's challenge in French words, never the API's English sentence.
  const c = (await api('/api/v1/challenges?sensor=1')).body;
  await page.locator('#challenge-streak').waitFor();
  if (c.current) {
    const said = await text('#challenge-current');
    assert.ok(said.length > 20 && !said.includes(c.current.message), said);
  }
  await checkPage('goals');
});

test('tips and alerts: always-on power, tips, and acknowledging an alert', async () => {
  await nav('Conseils').click();
  await page.getByRole('heading', { name: 'Conseils et alertes', level: 1 }).waitFor();
  // "Cave" never sent a frame: silent 5 s after its pairing.
  const open = await waitFor(async () => (await api('/api/v1/alerts?state=open')).body.alerts.find((a) => a.kind === 'sensor_silent'),
    { timeout: 30000, what: 'a sensor_silent alert' });
  await page.reload();
  // The always-on power and the tips are the API's, in French words.
  const b = (await api('/api/v1/baseload?sensor=1')).body;
  if (typeof b.watts === 'number') await waitFor(async () => /^\d[\d\s]* W$/.test(await text('#baseload-watts')), { what: 'the always-on power' });
  const tips = (await api('/api/v1/tips?sensor=1')).body.tips;
  if (tips.length) {
    await page.locator('#tips-list li').first().waitFor();
    assert.equal(await page.locator('#tips-list li').count(), tips.length);
    assert.equal((await page.locator('#tips-list li .tip-value').first().textContent()).trim(), `Jusqu'à ${await euro(eur(tips[0].saving_year))} par an`);
    assert.ok(!(await text('#tips-list')).includes(tips[0].message), 'not the English message');
  } else await page.locator('#tips-none').waitFor();
  const item = page.locator('#alerts-list li', { hasText: open.params.name });
  await item.first().waitFor();
  assert.match(await item.first().textContent(), /n'envoie plus de mesures/);
  await checkPage('tips');
  await page.locator(`#alerts-list button[data-alert="${open.id}"]`).click();
  await waitFor(async () => (await api('/api/v1/alerts?state=all')).body.alerts.find((a) => a.id === open.id)?.state === 'acknowledged', { what: 'the alert acknowledged' });
  await waitFor(async () => (await page.locator(`#alerts-list button[data-alert="${open.id}"]`).count()) === 0, { what: 'the button gone' });
});

test('learn: five short pages with the household\'s own numbers', async () => {
  await nav('Comprendre').click();
  await page.getByRole('heading', { name: 'Comprendre', level: 1 }).waitFor();
  const n = (await api('/api/v1/tariff/now')).body;
  await waitFor(async () => /1 kWh vous coûte 0,\d+\s€\/kWh/.test(await text('#learn-kwh-price')), { what: 'the kWh price' });
  const price = await page.evaluate((x) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(x), Number(n.price_kwh));
  assert.ok((await text('#learn-kwh-price')).includes(price), 'the price of the period in force');
  assert.match(await text('#learn-tariff-yours'), /Heures pleines \/ Heures creuses/);
  assert.match(await text('#learn-watts-yours'), /En ce moment votre logement utilise \d/);
  for (const id of ['watts', 'kwh', 'standby', 'tariff', 'sensor']) await page.locator(`#learn-${id} h2`).waitFor();
  await page.goto(`${server.url}/#/learn?topic=standby`);
  await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'learn-standby-title', { what: 'the standby topic focused' });
  await checkPage('learn');
});

test('settings: sensors renamed and removed, a member and a token created, the price history', async () => {
  await nav('Réglages').click();
  const garage = page.locator('#sensors-list li.sensor-item', { hasText: 'Garage' });
  await garage.waitFor();
  await page.locator('#sensors-list li.sensor-item', { hasText: 'Maison simulée' }).waitFor();
  await page.locator('#price-history table tbody tr').first().waitFor();
  assert.ok(await page.locator('#price-history tr.current').count() >= 1, 'the price in force is marked');
  await checkPage('settings');

  const id = Number(await garage.getAttribute('data-sensor'));
  await page.getByRole('button', { name: 'Renommer le capteur Garage' }).click();
  await page.getByLabel('Nouveau nom').fill('Garage et atelier');
  await page.locator(`li[data-sensor="${id}"] button[type=submit]`).click();
  await waitFor(async () => (await api('/api/v1/sensors')).body.sensors.find((s) => s.id === id)?.name === 'Garage et atelier', { what: 'the rename' });
  await page.locator('#sensors-list h3', { hasText: 'Garage et atelier' }).waitFor();
  await page.getByRole('button', { name: 'Retirer le capteur Garage et atelier' }).click();
  await page.locator(`#remove-confirm-${id}`).click();
  await waitFor(async () => !(await api('/api/v1/sensors')).body.sensors.some((s) => s.id === id), { what: 'the removal' });
  await waitFor(async () => (await page.locator(`li[data-sensor="${id}"]`).count()) === 0, { what: 'the list updated' });

  await page.locator('#user-name').fill(MEMBER.name);
  await page.locator('#user-password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.locator('#users-list li', { hasText: MEMBER.name }).waitFor();
  await page.locator('#token-name').fill('grafana');
  await page.getByRole('button', { name: 'Créer', exact: true }).click();
  assert.match(await text('#token-secret'), /^cwt_/);

  // Tempo from the settings: the price history follows, and the Now page says the day's colour.
  await page.getByLabel('Option tarifaire').selectOption('tempo');
  await page.locator('#settings-tariff button[type=submit]').click();
  await waitFor(async () => (await api('/api/v1/tariff')).body.option === 'tempo', { what: 'Tempo saved' });
  await waitFor(async () => (await page.locator('#price-history thead th').count()) === 8, { what: 'the six Tempo prices' });
});

test('language: English switch translates the page and back', async () => {
  await nav('Maintenant').click();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await nav('History').waitFor();
  await waitFor(async () => /^€\d+\.\d\d, including €\d+\.\d\d of subscription$/.test(await text('#today-eur')), { what: 'English money' });
  const tempo = (await api('/api/v1/tariff/now')).body;
  const [, colour, hours] = /^tempo_(blue|white|red)_(hp|hc)$/.exec(tempo.period);
  const words = `${{ blue: 'Blue', white: 'White', red: 'Red' }[colour]} day, ${hours === 'hc' ? 'off-peak' : 'peak'} hours`;
  await waitFor(async () => (await text('#tariff-period')).startsWith(words), { what: 'the Tempo colour in words' });
  if (tempo.colour_assumed) assert.match(await text('#tariff-next'), /colour is not known yet/);
  await checkPage('now-english');
  await nav('Bill').click();
  await page.locator('#bill-total').waitFor();
  await checkPage('bill-english');
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Facture en cours', level: 1 }).waitFor();
});

test('logout, a wrong password, then a read-only member sees everything but settings', async () => {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel("Nom d'utilisateur").fill(MEMBER.name);
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Nom d\'utilisateur ou mot de passe incorrect.').waitFor();
  await checkPage('login');
  await page.getByLabel('Mot de passe').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Maintenant', level: 1 }).waitFor();
  assert.equal(await nav('Réglages').count(), 0);
  await nav('Historique').click();
  await page.locator('#history-chart[data-points]').waitFor();
  await nav('Objectifs').click();
  await page.getByRole('heading', { name: 'Objectifs et défis', level: 1 }).waitFor();
  await page.locator('#target > p').last().waitFor();
  assert.equal(await page.locator('#target-form').count(), 0, 'a member does not set the budget');
  await nav('Conseils').click();
  await page.getByRole('heading', { name: 'Conseils et alertes', level: 1 }).waitFor();
  assert.equal(await page.locator('#alerts-list button').count(), 0, 'a member does not acknowledge');
  await page.goto(`${server.url}/#/settings`);
  await page.getByText("Les réglages sont réservés à l'administrateur du foyer.").waitFor();
  await checkPage('settings-member');
  assert.deepEqual(errors, [], 'no uncaught error in the page');
});

test('first screen on a slowed-down phone (measured, not asserted)', async () => {
  // The median of three loads per rate: other jobs share the machine's two cores.
  const figures = {};
  for (const rate of [4, 6]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await firstScreenMs(context, server.url, rate));
    figures[`cpu_${rate}x_ms`] = runs.sort((a, b) => a - b)[1];
    figures[`cpu_${rate}x_runs_ms`] = runs;
  }
  figures.load_average = loadavg()[0];  // what else the machine was doing
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'ui-first-screen.json'), `${JSON.stringify(figures, null, 1)}\n`);
  console.log(`first screen at 360×640, LAN 20 Mbit/s, CPU throttled: ${JSON.stringify(figures)}`);
  assert.ok(figures.cpu_4x_ms > 0 && figures.cpu_6x_ms > 0);
});

test('now: a sensor paired and never heard is said silent since its pairing', async () => {
  // "Cave" was paired before the base started: its sensor_silent alert opens after 5 s
  // (silent_after in citizenwatt.toml), and the page says so (alone, it would after a minute).
  await nav('Maintenant').click();
  await page.getByLabel('Capteur').selectOption({ label: 'Cave' });
  await waitFor(async () => /^Capteur silencieux : aucune mesure reçue depuis son association à \d\d:\d\d$/.test(await text('#live-status')),
    { timeout: 20000, what: 'the silent sensor' });
  assert.match(await page.locator('#live-status').getAttribute('class'), /\bwarn\b/);
  await checkPage('now-silent-sensor');
  await page.getByLabel('Capteur').selectOption({ label: 'Maison simulée' });
  await page.locator('#live-power', { hasText: /\d/ }).waitFor();
  assert.deepEqual(errors, [], 'no uncaught error in the page');
});
