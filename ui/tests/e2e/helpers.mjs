// Shared pieces of the end-to-end tests: a real `citizenwatt serve --simulate` on a free port
// in a temporary data folder, Debian's chromium driven by playwright-core, axe-core, screenshots.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const UI_DIR = resolve(new URL('../..', import.meta.url).pathname);
const REPO = resolve(UI_DIR, '..');
export const CW_BIN = process.env.CW_BIN || join(REPO, 'build', 'citizenwatt');
export const SHOTS = process.env.CW_SCREENSHOTS || join(REPO, 'build', 'ui-screenshots');
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

/** Starts the base station with a simulated household at 10× speed (a frame every 0.5 s). */
export async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'cw-ui-e2e-'));
  const port = await freePort();
  const proc = spawn(CW_BIN, ['serve', '--simulate', '--speed', '10', '--data', data,
    '--listen', `127.0.0.1:${port}`, '--ui', UI_DIR, '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  await waitFor(async () => {
    if (exited !== null) throw new Error(`citizenwatt exited with ${exited}`);
    return (await fetch(`${url}/api/v1/health`)).ok;
  }, { timeout: 20000, what: 'the base station to answer' });
  return {
    url,
    async stop() {
      if (exited === null) {
        proc.kill('SIGTERM');
        await waitFor(() => exited !== null, { timeout: 10000, what: 'citizenwatt to stop' }).catch(() => proc.kill('SIGKILL'));
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
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Full-page screenshots at 360×640 and 1280×800, then back to the wide viewport. */
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, hgt] of [[360, 640], [1280, 800]]) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${hgt}.png`), fullPage: true });
  }
}
