// Shared pieces of the end-to-end tests: a real `citizenwatt serve --simulate` on a free port
// in a temporary data folder, Debian's chromium driven by playwright-core, axe-core, screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const UI_DIR = resolve(new URL('../..', import.meta.url).pathname);
const REPO = resolve(UI_DIR, '..');
export const CW_BIN = process.env.CW_BIN || join(REPO, 'build', 'citizenwatt');
export const OUT = process.env.CW_TEST_OUTPUT || join(REPO, 'test-output');
export const SHOTS = process.env.CW_SCREENSHOTS || join(OUT, 'ui-screenshots');
export const CHROMIUM = process.env.CW_CHROMIUM || '/usr/bin/chromium';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

/** Polls `check` until it returns a truthy value or the timeout expires. */
export async function waitFor(check, { timeout = 15000, interval = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try { const v = await check(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

function spawnServe(data, port) {
  const proc = spawn(CW_BIN, ['serve', '--simulate', '--speed', '10', '--data', data,
    '--listen', `127.0.0.1:${port}`, '--ui', UI_DIR, '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'pipe'] });
  const state = { proc, exited: null, stderr: '' };
  proc.stderr.on('data', (d) => { state.stderr += d; process.stderr.write(d); });
  proc.on('exit', (code) => { state.exited = code; });
  return state;
}

/**
 * Starts the base station with a simulated household at 10× speed (a frame every 0.5 s) in a
 * temporary data folder. `sensors`: names paired with `citizenwatt sensor add` first (id 50
 * onwards: they never send, so they are silent from their pairing). `config`: the data
 * folder's citizenwatt.toml.
 */
export async function startServer({ sensors = [], config = '' } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'cw-ui-e2e-'));
  sensors.forEach((name, i) => execFileSync(CW_BIN, ['sensor', 'add', name, '--id', String(50 + i), '--data', data], { stdio: 'ignore' }));
  if (config) writeFileSync(join(data, 'citizenwatt.toml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const s = spawnServe(data, port);
  // Until it answers, or has exited (waitFor treats a throw as "not yet").
  await waitFor(async () => s.exited !== null || (await fetch(`${url}/api/v1/health`)).ok,
    { timeout: 20000, what: 'the base station to answer' });
  if (s.exited !== null) throw new Error(`citizenwatt exited with ${s.exited}: ${s.stderr.slice(-500)}`);
  return {
    url,
    data,
    async stop() {
      if (s.exited === null) {
        s.proc.kill('SIGTERM');
        await waitFor(() => s.exited !== null, { timeout: 10000, what: 'citizenwatt to stop' }).catch(() => s.proc.kill('SIGKILL'));
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Runs axe-core on the page; returns the serious and critical violations, described. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Full-page screenshots at 360×640 and 1280×800 (then back to the wide viewport), each size
 * checked by axe: the serious and critical violations found, with the size they were seen at.
 */
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const found = [];
  for (const [w, hgt] of [[360, 640], [1280, 800]]) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${hgt}.png`), fullPage: true });
    for (const v of await axeViolations(page)) found.push({ ...v, size: `${w}x${hgt}` });
  }
  return found;
}

/**
 * "First screen" on a cheap phone: a new page of `context` with its CPU slowed `rate` times
 * (CDP Emulation.setCPUThrottlingRate) and a Wi-Fi-like LAN; milliseconds from navigation start
 * until the live power and today's kWh are shown. A measure to report, not an assertion.
 */
export async function firstScreenMs(context, url, rate) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 640 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 10, downloadThroughput: 2.5e6, uploadThroughput: 1e6 });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(`${url}/#/now`);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#live-power')?.textContent || '')
    && /\d/.test(document.querySelector('#today-kwh')?.textContent || ''), null, { timeout: 30000 });
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return Math.round(ms);
}
