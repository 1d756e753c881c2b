// Boot and routing: first-run wizard, login, then the pages (#/now, #/history, #/bill, #/goals,
// #/tips, #/learn, #/settings).
import { api, ApiError } from './api.js';
import { t, tn, loadLang, savedLang, currentLang, locale } from './i18n.js';
import { $, h, clear } from './dom.js';

// Pages load when first shown: a phone parses only what its first screen needs (the charts and
// uPlot come with the history page).
const PAGES = ['now', 'history', 'bill', 'goals', 'tips', 'learn', 'privacy', 'settings'];
const loaded = new Map();
function page(name) {
  if (!loaded.has(name)) loaded.set(name, import(`./pages/${name}.js`));
  return loaded.get(name);
}
let shown = 0;  // the latest render: a slower page load that finishes after it is dropped
const ctx = { tz: 'Europe/Paris', me: null, t, tn, locale, api, currentLang };
let unmount = null;

function applyStatic() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('#nav').setAttribute('aria-label', t('nav_label'));
  const other = currentLang() === 'fr' ? 'en' : 'fr';
  const sw = $('#lang-switch');
  sw.textContent = t('switch_lang');
  sw.lang = other;
  sw.onclick = () => setLanguage(other);
}

export async function setLanguage(lang) {
  await loadLang(lang);
  applyStatic();
  render();
}
ctx.setLanguage = setLanguage;

function parseHash() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: path || 'now', params: new URLSearchParams(query || '') };
}

function showChrome(loggedIn) {
  $('#nav').hidden = !loggedIn;
  $('#logout').hidden = !loggedIn;
  $('#nav-settings').hidden = !(loggedIn && ctx.me?.user?.role === 'admin');
  if (loggedIn) refreshAlerts();
}

/** The number of open alerts beside "Conseils & alertes" (words for screen readers too). */
async function refreshAlerts() {
  const link = document.querySelector('#nav a[data-page="tips"]');
  let n = 0;
  try { n = ((await api('/api/v1/alerts?state=open')).alerts || []).filter((a) => a.state === 'open').length; } catch { /* shown next time */ }
  link.querySelector('.count')?.remove();
  if (n) link.append(' ', h('span', { class: 'count' }, h('span', { 'aria-hidden': 'true' }, String(n)), h('span', { class: 'sr-only' }, tn('alerts_open_count', n))));
}
ctx.refreshAlerts = refreshAlerts;

async function mount(name, params) {
  const seq = ++shown;
  const module = await page(name);
  if (seq !== shown) return;
  if (unmount) unmount();
  unmount = null;
  const focused = document.activeElement?.id;  // keep the keyboard where it was (◀ ▶, radios)
  const main = clear($('#main'));
  unmount = module.mount(main, ctx, params) || null;
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
}

async function render() {
  const { page: wanted, params } = parseHash();
  if (ctx.setupNeeded) {
    showChrome(false);
    document.title = `${t('wizard_title')} — CitizenWatt`;
    return mount('wizard', params);
  }
  if (!ctx.me) {
    showChrome(false);
    document.title = `${t('login_title')} — CitizenWatt`;
    return mount('login', params);
  }
  showChrome(true);
  const name = PAGES.includes(wanted) ? wanted : 'now';
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === name) {
      a.setAttribute('aria-current', 'page');
      a.scrollIntoView({ block: 'nearest', inline: 'nearest' });  // the phone's sideways menu
    } else a.removeAttribute('aria-current');
  }
  document.title = `${t(`nav_${name}`)} — CitizenWatt`;
  return mount(name, params);
}

/** Asks the server who we are; called at boot and after login, setup or logout. */
async function refreshSession(setup) {
  ctx.setupNeeded = (await (setup || api('/api/v1/setup'))).needed;
  try {
    ctx.me = ctx.setupNeeded ? null : await api('/api/v1/me');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    ctx.me = null;
  }
}

ctx.signedIn = async (target = '#/now') => {
  await refreshSession();
  if (location.hash !== target) location.hash = target;
  else render();
};
ctx.finishSetup = ctx.signedIn;

async function logout() {
  try { await api('/api/v1/logout', { method: 'POST' }); } catch { /* the session may be gone already */ }
  ctx.me = null;
  location.hash = '#/login';
  render();
}

async function boot() {
  // The catalogue, the zone and the setup state are asked for at once.
  const lang = loadLang(savedLang());
  const health = api('/api/v1/health');
  const setup = api('/api/v1/setup');
  const first = parseHash().page;
  page(PAGES.includes(first) ? first : 'now');  // the first screen's code, fetched meanwhile
  await lang;
  applyStatic();
  $('#logout').onclick = logout;
  try {
    ctx.tz = (await health).time_zone || ctx.tz;
    await refreshSession(setup);
  } catch (e) {
    clear($('#main')).append(h('p', { class: 'notice error', role: 'alert' }, t('error_unreachable')));
    return;
  }
  window.addEventListener('hashchange', render);
  setInterval(() => { if (ctx.me) refreshAlerts(); }, 60000);
  render();
}

boot();
