// Smoke test of a real base station, driven over HTTP from this host: it starts the command it
// is given (`citizenwatt serve --simulate --listen 127.0.0.1:0 ...`, natively, under qemu-user or
// inside a chroot as the packaged user), then checks health, the first-run setup (or a login),
// the simulated sensor live (a fresh `last_seen` and an SSE `sample` event), a chart series,
// and a clean stop on SIGTERM.
//
// Usage: node scripts/serve-smoke.mjs [--timeout S] [--user NAME:PASSWORD] [--state FILE]
//          [--expect-kept FILE] [--expect-version V] -- COMMAND ARGS...
//   --state FILE        writes what the base holds after the checks (samples, energy) as JSON;
//   --expect-kept FILE  fails unless the base still holds at least what FILE says (upgrades).
// Every wait polls a condition until a deadline; nothing sleeps and hopes.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

function parseArgs(argv) {
  const o = { timeoutS: 60, user: 'smoke:smoke-password-1', command: [] };
  const split = argv.indexOf('--');
  if (split < 0 || split === argv.length - 1) throw new Error('usage: serve-smoke.mjs [options] -- COMMAND...');
  const opts = argv.slice(0, split);
  o.command = argv.slice(split + 1);
  for (let i = 0; i < opts.length; i += 2) {
    const [k, v] = [opts[i], opts[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--timeout') o.timeoutS = Number(v);
    else if (k === '--user') o.user = v;
    else if (k === '--state') o.state = v;
    else if (k === '--expect-kept') o.expectKept = v;
    else if (k === '--expect-version') o.expectVersion = v;
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

function check(cond, what, detail = '') {
  if (!cond) throw new Error(`FAIL: ${what}${detail ? `: ${detail}` : ''}`);
  console.log(`ok: ${what}`);
}

// Polls fn() (async; a falsy result means "not yet") until it gives a value or the deadline.
async function eventually(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`FAIL: ${what} (timed out after ${timeoutMs} ms) ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startBase(command) {
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const base = { child, log: '', exit: null };
  const onData = (d) => { base.log += d.toString(); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  base.exited = new Promise((resolve) => child.on('exit', (code, sig) => {
    base.exit = code ?? 128 + (sig === 'SIGTERM' ? 15 : 9);
    resolve(base.exit);
  }));
  return base;
}

async function api(url, path, { cookie, method = 'GET', body } = {}) {
  const headers = { 'Content-Type': 'application/json', Origin: url };
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(url + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* checked by the caller */ }
  return { status: res.status, json, text, setCookie: res.headers.get('set-cookie') };
}

async function session(url, user) {
  const [username, password] = [user.slice(0, user.indexOf(':')), user.slice(user.indexOf(':') + 1)];
  const setup = await api(url, '/api/v1/setup');
  check(setup.status === 200, 'GET /api/v1/setup answers 200', setup.text);
  const route = setup.json.needed ? '/api/v1/setup' : '/api/v1/login';
  const r = await api(url, route, { method: 'POST', body: { username, password } });
  check(r.status === 200 || r.status === 201, `POST ${route} as ${username}`, r.text);
  const m = /cw_session=([^;]+)/.exec(r.setCookie || '');
  check(m !== null, 'the base sets a session cookie');
  return `cw_session=${m[1]}`;
}

// Reads the SSE stream until one `sample` event arrives; returns its data.
async function firstLiveSample(url, cookie, timeoutMs) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const res = await fetch(`${url}/api/v1/live`, { headers: { Cookie: cookie }, signal: ac.signal });
    check(res.status === 200, 'GET /api/v1/live answers 200');
    let buf = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      const m = /event: sample\ndata: (\{[^\n]*\})\n/.exec(buf);
      if (m) return JSON.parse(m[1]);
    }
    throw new Error('the live stream ended before a sample');
  } catch (e) {
    throw new Error(ac.signal.aborted ? `FAIL: no live sample within ${timeoutMs} ms` : e.message);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

async function checks(url, o) {
  const health = await api(url, '/api/v1/health');
  check(health.status === 200 && health.json.status === 'ok', 'health is ok', health.text);
  if (o.expectVersion) check(health.json.version === o.expectVersion, `version is ${o.expectVersion}`, health.json.version);
  const cookie = await session(url, o.user);
  const started = Date.now();
  const sensor = await eventually(async () => {
    const r = await api(url, '/api/v1/sensors', { cookie });
    const s = r.json?.sensors?.find((x) => x.last_seen && Date.parse(x.last_seen) >= started - 5000);
    return s;
  }, o.timeoutS * 1000, 'a sensor reports live (last_seen after the start)');
  check(sensor.kind === 'v2' && sensor.frames.accepted > 0, `sensor ${sensor.id} is live over authenticated frames`);
  const live = await firstLiveSample(url, cookie, o.timeoutS * 1000);
  check(Number.isInteger(live.power_w) && live.sensor === sensor.id, `live stream carries a sample (${live.power_w} W)`);
  const to = new Date(Date.now() + 60000).toISOString();
  const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const series = await api(url, `/api/v1/sensors/${sensor.id}/series?from=${from}&to=${to}&points=96`, { cookie });
  check(series.status === 200, 'series answers 200', series.text);
  const filled = series.json.points.filter((p) => p.mean !== null);
  check(filled.length >= 48, `the last 24 h series has points (${filled.length} of ${series.json.points.length}, level ${series.json.level})`);
  const after = await api(url, '/api/v1/health');
  return { raw_samples: after.json.store.raw_samples, energy_wh: sensor.energy_wh, sensor: sensor.id };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const base = startBase(o.command);
  let ok = false;
  try {
    const addr = await eventually(async () => {
      if (base.exit !== null) throw new Error(`FAIL: serve exited with ${base.exit}\n${base.log}`);
      return /base station on (http:\/\/127\.0\.0\.1:\d+)/.exec(base.log)?.[1];
    }, o.timeoutS * 1000, 'serve listens');
    console.log(`ok: serve listens on ${addr}`);
    const held = await checks(addr, o);
    if (o.expectKept) {
      const before = JSON.parse(readFileSync(o.expectKept, 'utf8'));
      check(held.sensor === before.sensor && held.energy_wh >= before.energy_wh,
        `sensor ${before.sensor} kept its energy register (${before.energy_wh} -> ${held.energy_wh} Wh)`);
      check(held.raw_samples >= before.raw_samples, `samples kept (${before.raw_samples} -> ${held.raw_samples})`);
    }
    if (o.state) writeFileSync(o.state, JSON.stringify(held));
    base.child.kill('SIGTERM');
    let timer;
    const code = await Promise.race([base.exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), o.timeoutS * 1000); })]);
    clearTimeout(timer);  // a pending timer would keep node alive until it fires
    check(code === 0, 'serve stops cleanly on SIGTERM (exit 0)', `exit ${code}\n${base.log}`);
    ok = true;
  } finally {
    if (base.exit === null) base.child.kill('SIGKILL');
    if (!ok) console.error(`--- serve log ---\n${base.log}`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
