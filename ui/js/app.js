// Boot and routing: first-run wizard, login, then the pages (#/now, #/history, #/settings).
import { api, ApiError } from './api.js';
import { t, loadLang, savedLang, currentLang, locale } from './i18n.js';
import { $, h, clear } from './dom.js';
import * as nowPage from './pages/now.js';
import * as historyPage from './pages/history.js';
import * as settingsPage from './pages/settings.js';
import * as loginPage from './pages/login.js';
import * as wizardPage from './pages/wizard.js';
import * as privacyPage from './pages/privacy.js';

const PAGES = { now: nowPage, history: historyPage, settings: settingsPage, privacy: privacyPage };
const ctx = { tz: 'Europe/Paris', me: null, t, locale, api, currentLang };
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
}

function mount(page, params) {
  if (unmount) unmount();
  unmount = null;
  const focused = document.activeElement?.id;  // keep the keyboard where it was (◀ ▶, radios)
  const main = clear($('#main'));
  unmount = page.mount(main, ctx, params) || null;
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
}

async function render() {
  const { page, params } = parseHash();
  if (ctx.setupNeeded) {
    showChrome(false);
    document.title = `${t('wizard_title')} — CitizenWatt`;
    return mount(wizardPage, params);
  }
  if (!ctx.me) {
    showChrome(false);
    document.title = `${t('login_title')} — CitizenWatt`;
    return mount(loginPage, params);
  }
  showChrome(true);
  const name = PAGES[page] ? page : 'now';
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${t(`nav_${name}`)} — CitizenWatt`;
  mount(PAGES[name], params);
}

/** Asks the server who we are; called at boot and after login, setup or logout. */
async function refreshSession() {
  ctx.setupNeeded = (await api('/api/v1/setup')).needed;
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
  await loadLang(savedLang());
  applyStatic();
  $('#logout').onclick = logout;
  try {
    const health = await api('/api/v1/health');
    ctx.tz = health.time_zone || ctx.tz;
    await refreshSession();
  } catch (e) {
    clear($('#main')).append(h('p', { class: 'notice error', role: 'alert' }, t('error_unreachable')));
    return;
  }
  window.addEventListener('hashchange', render);
  render();
}

boot();
