// Placeholder eco-feedback page: live power and today's curve, straight from the JSON API.
import { t, setLang, currentLang, locale } from './i18n.js';

const $ = (id) => document.getElementById(id);
let sensorId = null;
let lastSeenMs = 0;

function applyCatalogue() {
  document.documentElement.lang = currentLang();
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

async function api(path, options = {}) {
  const res = await fetch(path, { credentials: 'same-origin', ...options });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw Object.assign(new Error(body?.message || res.statusText), { status: res.status });
  return body;
}

function number(v, digits = 0) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}

function timeOf(ms) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

async function showAuth(mode) {
  $('dashboard').hidden = true;
  $('auth').hidden = false;
  $('auth-title').textContent = t(`${mode}_title`);
  $('auth-help').textContent = t(`${mode}_help`);
  $('auth-submit').textContent = t(`${mode}_submit`);
  $('auth-form').onsubmit = async (ev) => {
    ev.preventDefault();
    const body = JSON.stringify({ username: $('username').value, password: $('password').value });
    try {
      await api(`/api/v1/${mode}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      $('auth-error').textContent = '';
      start();
    } catch (e) {
      $('auth-error').textContent = e.status === 401 ? t('login_failed') : t('error') + e.message;
    }
  };
}

function drawCurve(points) {
  const svg = $('curve');
  const w = 600, h = 200, pad = 24;
  const data = points.filter((p) => p.mean !== null);
  if (!data.length) { svg.innerHTML = ''; return; }
  const t0 = points[0].t_ms, t1 = points[points.length - 1].end_ms;
  const max = Math.max(100, ...data.map((p) => p.mean));
  const x = (ms) => pad + ((ms - t0) / (t1 - t0)) * (w - 2 * pad);
  const y = (v) => h - pad - (v / max) * (h - 2 * pad);
  let d = '', open = false;
  for (const p of points) {
    if (p.mean === null) { open = false; continue; }  // a gap stays a gap
    d += `${open ? 'L' : 'M'}${x(p.t_ms).toFixed(1)},${y(p.mean).toFixed(1)} `;
    open = true;
  }
  svg.innerHTML = `<line class="axis" x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}"/>` +
    `<text x="${pad}" y="${pad - 8}">${number(max)} W</text>` +
    `<path class="line" d="${d}"/>`;
}

async function refreshToday() {
  if (sensorId === null) return;
  const now = Date.now();
  const midnight = new Date(); midnight.setHours(0, 0, 0, 0);
  const from = midnight.getTime();
  const [series, energy] = await Promise.all([
    api(`/api/v1/sensors/${sensorId}/series?from=${from}&to=${now}&points=300&unit=W`),
    api(`/api/v1/sensors/${sensorId}/energy?from=${from}&to=${now}&by=day`),
  ]);
  drawCurve(series.points);
  $('today-kwh').textContent = number(energy.total_wh / 1000, 2);
}

function showSensorState() {
  if (!lastSeenMs) { $('sensor-state').textContent = t('no_sensor'); return; }
  const silent = Date.now() - lastSeenMs > 60_000;
  $('sensor-state').textContent = t(silent ? 'silent' : 'last_seen', { time: timeOf(lastSeenMs) });
}

function listen() {
  const es = new EventSource('/api/v1/live');
  es.addEventListener('sample', (ev) => {
    const s = JSON.parse(ev.data);
    if (sensorId === null) sensorId = s.sensor;
    if (s.sensor !== sensorId) return;
    $('power').textContent = number(s.power_w);
    lastSeenMs = Date.parse(s.t);
    showSensorState();
  });
  es.onerror = () => { $('sensor-state').textContent = t('reconnecting'); };
}

async function start() {
  $('auth').hidden = true;
  $('dashboard').hidden = false;
  $('logout').hidden = false;
  const sensors = await api('/api/v1/sensors');
  if (sensors.sensors.length) {
    const s = sensors.sensors[0];
    sensorId = s.id;
    if (s.last_seen) { lastSeenMs = Date.parse(s.last_seen); $('power').textContent = number(s.last_power_w); }
  }
  showSensorState();
  listen();
  await refreshToday();
  setInterval(refreshToday, 30_000);
  setInterval(showSensorState, 10_000);
}

async function boot() {
  applyCatalogue();
  $('lang').onclick = () => { setLang(currentLang() === 'fr' ? 'en' : 'fr'); location.reload(); };
  $('logout').onclick = async () => { await api('/api/v1/logout', { method: 'POST' }); location.reload(); };
  const setup = await api('/api/v1/setup');
  if (setup.needed) return showAuth('setup');
  try {
    await api('/api/v1/me');
    start();
  } catch {
    showAuth('login');
  }
}

boot();
