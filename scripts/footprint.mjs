// make footprint: what a base station costs a Raspberry Pi (docs/performance.md, "On a Raspberry
// Pi"). A home of 3 paired sensors, each sending a real authenticated frame every 10 s over UDP
// (`citizenwatt simulate --speed 1`), and the UI open in Debian's chromium on the Now page (live
// SSE stream and its periodic requests). After a warm-up, over a window of real time, it reads
// from /proc/PID of the `serve` process: write_bytes (what reaches the block device, the SD-card
// load), wchar, utime+stime, VmRSS and VmHWM, and the data folder's growth.
//
// Each --run is one base, all run side by side:
//   native:BIN          the binary as is
//   callgrind:BIN       under valgrind --tool=callgrind: instructions executed in the window
//   qemu-arm64:BIN      under qemu-aarch64-static (RSS and CPU are the emulator's, bytes are exact)
//   qemu-armhf:BIN      under qemu-arm-static
// Usage: node scripts/footprint.mjs [--seconds 600] [--warmup 60] [--json FILE] --run KIND:BIN...
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(new URL('..', import.meta.url).pathname);
const { chromium } = createRequire(join(REPO, 'ui', 'package.json'))('playwright-core');
const CHROMIUM = process.env.CW_CHROMIUM || '/usr/bin/chromium';
const SENSORS = 3;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const PREFIX = {
  native: [],
  callgrind: ['valgrind', '--tool=callgrind', '--quiet'],
  'qemu-arm64': ['qemu-aarch64-static'],
  'qemu-armhf': ['qemu-arm-static'],
};

function parseArgs(argv) {
  const o = { seconds: 600, warmup: 60, runs: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--seconds') o.seconds = Number(v);
    else if (k === '--warmup') o.warmup = Number(v);
    else if (k === '--json') o.json = v;
    else if (k === '--run') {
      const [kind, bin] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
      if (!PREFIX[kind]) throw new Error(`unknown run kind ${kind}`);
      o.runs.push({ kind, bin: resolve(bin) });
    } else throw new Error(`unknown option ${k}`);
  }
  if (!o.runs.length) throw new Error('usage: footprint.mjs [--seconds S] [--warmup S] --run KIND:BIN...');
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(200);
  }
}

function cli(run, args) {
  const cmd = [...(run.kind === 'callgrind' ? [] : PREFIX[run.kind]), run.bin, ...args];
  return execFileSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

// Counters of one process, and the size of the data folder.
function snapshot(pid, data) {
  const io = Object.fromEntries(readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n')
    .map((l) => l.split(':').map((x) => x.trim())).map(([k, v]) => [k, Number(v)]));
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  let bytes = 0;
  for (const name of readdirSync(data)) bytes += statSync(join(data, name)).size;
  return {
    t: Date.now(), write_bytes: io.write_bytes, wchar: io.wchar,
    cpu_s: (Number(f[11]) + Number(f[12])) / CLK_TCK, rss_kb: kb('VmRSS'), hwm_kb: kb('VmHWM'), data_bytes: bytes,
  };
}

// Instructions since the previous dump (callgrind zeroes its counters at each dump).
function callgrindDump(run) {
  execFileSync('callgrind_control', ['-d', String(run.proc.pid)], { stdio: 'ignore' });
  const files = readdirSync(run.tmp).filter((n) => n.startsWith('cg.out.')).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  const text = readFileSync(join(run.tmp, files[files.length - 1]), 'utf8');
  return Number((/^(?:summary|totals): (\d+)/m.exec(text) || [])[1]);
}

async function api(url, path, opts = {}) {
  const res = await fetch(url + path, { ...opts, headers: { 'Content-Type': 'application/json', Origin: url, ...(opts.headers || {}) } });
  return { status: res.status, json: await res.json().catch(() => null), cookie: res.headers.get('set-cookie') };
}

async function startBase(run) {
  run.tmp = mkdtempSync(join(tmpdir(), `cw-footprint-${run.kind}-`));
  run.data = join(run.tmp, 'var');
  for (let i = 1; i <= SENSORS; i++) cli(run, ['sensor', 'add', `capteur-${i}`, '--id', String(i), '--data', run.data]);
  const extra = run.kind === 'callgrind' ? [`--callgrind-out-file=${join(run.tmp, 'cg.out')}`] : [];
  const cmd = [...PREFIX[run.kind], ...extra, run.bin, 'serve', '--data', run.data, '--listen', '127.0.0.1:0',
    '--source', 'udp://127.0.0.1:0', '--ui', join(REPO, 'ui')];
  run.proc = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  run.log = '';
  run.proc.stdout.on('data', (d) => { run.log += d; });
  run.proc.stderr.on('data', (d) => { run.log += d; });
  run.url = await waitFor(() => /base station on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.log)?.[1], 180000, `${run.kind} listens`);
  run.udp = await waitFor(() => /frames on udp:\/\/127\.0\.0\.1:(\d+)/.exec(run.log)?.[1], 10000, `${run.kind} UDP`);
  const setup = await api(run.url, '/api/v1/setup', { method: 'POST', body: JSON.stringify({ username: 'foyer', password: 'footprint-password' }) });
  if (setup.status !== 201) throw new Error(`${run.kind}: setup answered ${setup.status}`);
  run.session = /cw_session=([^;]+)/.exec(setup.cookie)[1];
}

function startSensors(run, seconds) {
  run.sims = [];
  for (let i = 1; i <= SENSORS; i++) {
    const cmd = [...(run.kind === 'callgrind' ? [] : PREFIX[run.kind]), run.bin, 'simulate', '--data', run.data, '--sensor', String(i),
      '--seed', String(i), '--target', `udp://127.0.0.1:${run.udp}`, '--speed', '1', '--duration', String(seconds)];
    run.sims.push(spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' }));
  }
}

async function openUi(browser, run) {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'cw_session', value: run.session, url: run.url }]);
  run.page = await ctx.newPage();
  await run.page.goto(`${run.url}/#/now`);
  await run.page.waitForSelector('main', { timeout: 60000 });
}

async function accepted(run) {
  const h = await api(run.url, '/api/v1/health');
  return h.json?.ingest?.frames?.accepted ?? 0;
}

function report(run, a, b, frames, ir) {
  const s = (b.t - a.t) / 1000;
  const perHour = (x) => (x / s) * 3600;
  const r = {
    kind: run.kind, window_s: Math.round(s), frames_accepted: frames,
    write_bytes_per_s: (b.write_bytes - a.write_bytes) / s, write_kB_per_h: perHour(b.write_bytes - a.write_bytes) / 1000,
    wchar_kB_per_h: perHour(b.wchar - a.wchar) / 1000, data_growth_kB_per_h: perHour(b.data_bytes - a.data_bytes) / 1000,
    cpu_percent_of_one_core: (100 * (b.cpu_s - a.cpu_s)) / s, rss_MB: b.rss_kb / 1024, hwm_MB: b.hwm_kb / 1024,
  };
  if (ir !== undefined) r.instructions_per_s = ir / s;
  return r;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    for (const run of o.runs) await startBase(run);
    for (const run of o.runs) startSensors(run, o.warmup + o.seconds + 30);
    for (const run of o.runs) await openUi(browser, run);
    await sleep(o.warmup * 1000);
    const start = o.runs.map((run) => ({ snap: snapshot(run.proc.pid, run.data), ir: run.kind === 'callgrind' ? callgrindDump(run) : undefined }));
    const frames0 = await Promise.all(o.runs.map(accepted));
    await sleep(o.seconds * 1000);
    const end = o.runs.map((run) => ({ snap: snapshot(run.proc.pid, run.data), ir: run.kind === 'callgrind' ? callgrindDump(run) : undefined }));
    const frames1 = await Promise.all(o.runs.map(accepted));
    const results = o.runs.map((run, i) => report(run, start[i].snap, end[i].snap, frames1[i] - frames0[i], end[i].ir));
    for (const r of results) {
      const expected = (SENSORS * r.window_s) / 10;
      if (r.frames_accepted < 0.9 * expected) throw new Error(`${r.kind}: only ${r.frames_accepted} frames accepted of ~${expected}`);
    }
    console.log(JSON.stringify(results, null, 2));
    if (o.json) writeFileSync(o.json, JSON.stringify(results, null, 2));
  } finally {
    await browser.close();
    for (const run of o.runs) {
      for (const p of run.sims || []) p.kill('SIGTERM');
      if (run.proc && run.proc.exitCode === null) run.proc.kill('SIGTERM');
    }
    await sleep(3000);
    for (const run of o.runs) {
      if (run.proc && run.proc.exitCode === null) run.proc.kill('SIGKILL');
      if (run.tmp) rmSync(run.tmp, { recursive: true, force: true });
    }
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
