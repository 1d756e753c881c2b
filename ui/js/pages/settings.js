// "Réglages" (administrators): sensors (health, rename, remove, pair a new one), tariff and its
// price history, users, API tokens, export, language.
import { h, field } from '../dom.js';
import { qs } from '../api.js';
import { LANGS } from '../i18n.js';
import { formatDateTime, formatPercent, formatVolts, formatPower, formatKwh, formatNumber, formatEuro, formatPriceKwh, formatDay } from '../format.js';
import { price } from '../money.js';
import { periodLabel } from '../tariff_periods.js';
import { sensorList } from './sensor_pick.js';
import { sensorPairForm } from './sensor_pair.js';
import { localDate, periodRange } from '../time.js';
import { tariffForm } from './tariff_form.js';

export function mount(main, ctx) {
  const { t } = ctx;
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('settings_title'))));
  if (ctx.me?.user?.role !== 'admin') {
    main.append(h('p', { class: 'notice' }, t('settings_admin_only')), languageSection(ctx));
    return;
  }
  const sections = [sensorsSection(ctx), tariffSection(ctx), usersSection(ctx), tokensSection(ctx), exportSection(ctx), languageSection(ctx)];
  main.append(h('nav', { class: 'toc', 'aria-label': t('settings_sections') },
    h('ul', {}, sections.map((s) => h('li', {}, h('a', { href: `#/settings`, 'data-target': s.id, onclick: (e) => { e.preventDefault(); s.querySelector('h2').focus(); s.scrollIntoView(); } }, s.querySelector('h2').textContent))))), ...sections);
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, tabindex: '-1' }, title), ...children);
}

// Inputs that are not radio sensors say where their measures come from (docs/ecosystem.md).
const ORIGINS = ['tic', 'mqtt', 'http', 'import'];

function sensorsSection(ctx) {
  const { t } = ctx;
  const list = h('ul', { class: 'plain sensors', id: 'sensors-list' });
  const refresh = async () => {
    const sensors = await sensorList(ctx, true);
    list.replaceChildren(...(sensors.length ? sensors.map((x) => sensorItem(ctx, x, refresh)) : [h('li', {}, t('wizard_sensor_none'))]));
  };
  refresh().catch((e) => list.append(h('li', { role: 'alert' }, t('error_generic', { message: e.message }))));
  return section('settings-sensors', t('settings_sensors'), list,
    h('h3', {}, t('pair_title')), sensorPairForm(ctx, { idPrefix: 'settings-pair', onCreated: () => refresh().catch(() => {}) }));
}

function fact(label, ...value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, ...value));
}

function sensorItem(ctx, x, refresh) {
  const { t } = ctx;
  const loc = ctx.locale();
  const status = h('p', { class: 'form-status', role: 'status' });
  const item = h('li', { class: 'sensor-item', 'data-sensor': String(x.id) },
    h('h3', {}, x.name, ' ', h('span', { class: 'muted small' }, `#${x.id}`)),
    h('dl', { class: 'facts' },
      fact(t('sensor_seen'), x.last_seen ? formatDateTime(Date.parse(x.last_seen), loc, ctx.tz) : t('sensor_never_seen')),
      fact(t('sensor_power'), formatPower(x.last_power_w, loc, x.power_unit), ' · ', formatKwh(x.energy_wh, loc),
        x.energy_source === 'estimated' ? h('span', { class: 'muted small block' }, t('sensor_energy_estimated')) : ''),
      fact(t('sensor_supply'), formatVolts(x.supply_v, loc, 2), x.flags?.low_battery ? [' ', h('span', { class: 'badge warn' }, t('sensor_low_battery'))] : '',
        x.voltage_v !== null && x.voltage_v !== undefined ? h('span', { class: 'muted small block' }, t('sensor_mains', { v: formatVolts(x.voltage_v, loc) })) : ''),
      fact(t('sensor_loss'), formatPercent(x.loss_ratio, loc), h('span', { class: 'muted small block' },
        t('sensor_frames', { ok: formatNumber(x.frames?.accepted ?? 0, loc), lost: formatNumber(x.frames?.lost ?? 0, loc) }))),
      fact(t('sensor_security'), ORIGINS.includes(x.kind) ? t(`sensor_origin_${x.kind}`)
        : x.secure ? t('sensor_secure') : h('span', { class: 'badge warn' }, t('sensor_insecure')))));
  const actions = h('div', { class: 'row actions' });
  const panel = h('div', {});
  const run = async (fn) => {
    try { await fn(); await refresh(); } catch (e) {
      status.textContent = e.status === 400 ? t('pair_bad_name') : t('error_generic', { message: e.message });
    }
  };
  const rename = () => {
    const f = field(`rename-${x.id}`, t('sensor_new_name'), { required: true, maxlength: 64, value: x.name, autocomplete: 'off' });
    const form = h('form', {}, f.wrap, h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, t('save')),
      h('button', { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() }, t('cancel'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      run(() => ctx.api(`/api/v1/sensors/${x.id}`, { method: 'PATCH', body: { name: f.input.value.trim() } }));
    });
    panel.replaceChildren(form);
    f.input.focus();
  };
  const remove = () => {
    const yes = h('button', { type: 'button', class: 'danger', id: `remove-confirm-${x.id}`,
      onclick: () => run(() => ctx.api(`/api/v1/sensors/${x.id}`, { method: 'DELETE' })) }, t('sensor_remove_yes'));
    panel.replaceChildren(h('div', { class: 'notice error', role: 'alertdialog', 'aria-labelledby': `remove-q-${x.id}` },
      h('p', { id: `remove-q-${x.id}` }, t('sensor_remove_question', { name: x.name })),
      h('div', { class: 'row' }, yes, h('button', { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() }, t('cancel')))));
    yes.focus();
  };
  actions.append(
    h('button', { type: 'button', class: 'secondary', 'aria-label': t('sensor_rename_named', { name: x.name }), onclick: rename }, t('sensor_rename')),
    h('button', { type: 'button', class: 'secondary', 'aria-label': t('sensor_remove_named', { name: x.name }), onclick: remove }, t('sensor_remove')));
  item.append(actions, panel, status);
  return item;
}

function tariffSection(ctx) {
  const { t } = ctx;
  const history = h('div', { id: 'price-history' });
  const showHistory = (cur) => priceHistory(ctx, cur).then((el) => history.replaceChildren(el));
  const { form, load } = tariffForm(ctx, { idPrefix: 'settings-tariff', onSaved: () => ctx.api('/api/v1/tariff').then(showHistory) });
  load().then(showHistory).catch((e) => history.replaceChildren(h('p', { role: 'alert' }, t('error_generic', { message: e.message }))));
  return section('settings-tariff', t('settings_tariff'), form, h('h3', {}, t('price_history')), history);
}

/** The prices of the household's option and power over time: its own, or the regulated ones. */
async function priceHistory(ctx, cur) {
  const { t } = ctx;
  const loc = ctx.locale();
  let versions;
  if (cur.custom_prices) {
    versions = cur.prices.map((v) => ({ from: v.from, to: v.to, source: v.source, kwh: v.kwh, subscription: v.subscription_month ?? v.subscription_year, per: v.subscription_month ? 'month' : 'year' }));
  } else {
    const cat = await ctx.api('/api/v1/tariff/catalogue');
    versions = (cat.options?.[cur.option] || []).flatMap((v) => {
      const row = v.prices.find((p) => Number(p.kva) === Number(cur.kva));
      return row ? [{ from: v.from, to: v.to, source: v.source, kwh: row.kwh, subscription: row.subscription, per: v.subscription_per }] : [];
    });
  }
  versions.sort((a, b) => (a.from < b.from ? 1 : -1));
  const periods = cur.periods || [];
  const row = (v) => h('tr', { class: v.from === cur.current?.from ? 'current' : null },
    h('th', { scope: 'row' }, formatDay(v.from, loc, 'medium'), ' → ', v.to ? formatDay(v.to, loc, 'medium') : t('price_open_end'),
      v.from === cur.current?.from ? h('span', { class: 'badge block' }, t('price_current')) : ''),
    h('td', { class: 'num' }, formatEuro(price(v.subscription), loc), h('span', { class: 'muted small block' }, t(`price_per_${v.per === 'year' ? 'year' : 'month'}`))),
    periods.map((p) => h('td', { class: 'num' }, formatPriceKwh(price(v.kwh?.[p]), loc))));
  const table = (list) => h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('price_history') }, h('table', { class: 'price-table' },
    h('caption', { class: 'sr-only' }, t('price_history')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('price_dates')), h('th', { scope: 'col', class: 'num' }, t('price_subscription')),
      periods.map((p) => h('th', { scope: 'col', class: 'num' }, periodLabel(p, t))))),
    h('tbody', {}, list.map(row))));
  if (!versions.length) return h('p', { class: 'muted' }, t('price_none'));
  const recent = versions.slice(0, 4), older = versions.slice(4);
  return h('div', {},
    h('p', { class: 'muted small' }, t(cur.custom_prices ? 'price_custom' : 'price_regulated', { kva: cur.kva, option: t(`tariff_option_${['base', 'hphc', 'tempo'].includes(cur.option) ? cur.option : 'grid'}`) })),
    table(recent),
    older.length ? h('details', {}, h('summary', {}, ctx.tn('price_older', older.length)), table(older)) : '');
}

function usersSection(ctx) {
  const { t } = ctx;
  const list = h('ul', { class: 'plain', id: 'users-list' });
  const refresh = () => ctx.api('/api/v1/users').then(({ users }) => list.replaceChildren(...users.map((u) =>
    h('li', {}, h('strong', {}, u.name), ' — ', t(`role_${u.role}`)))));
  const name = field('user-name', t('username'), { required: true, maxlength: 64, autocomplete: 'off' });
  const pass = field('user-password', t('password'), { type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const role = field('user-role', t('role'), {}, 'select');
  for (const r of ['member', 'admin']) role.input.append(h('option', { value: r }, t(`role_${r}`)));
  const status = h('p', { class: 'form-status', role: 'status' });
  const form = h('form', {}, h('h3', {}, t('user_add')), name.wrap, pass.wrap, role.wrap, h('p', { class: 'muted small' }, t('role_help')),
    h('button', { type: 'submit', class: 'primary' }, t('user_add_submit')), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ctx.api('/api/v1/users', { method: 'POST', body: { username: name.input.value, password: pass.input.value, role: role.input.value } });
      status.textContent = t('user_added', { name: name.input.value });
      form.reset();
      await refresh();
    } catch (e) {
      status.textContent = e.status === 409 ? t('name_taken') : t('error_generic', { message: e.message });
    }
  });
  refresh().catch(() => {});
  return section('settings-users', t('settings_users'), list, form);
}

function tokensSection(ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const list = h('ul', { class: 'plain', id: 'tokens-list' });
  const secret = h('div', { 'aria-live': 'polite' });
  const refresh = () => ctx.api('/api/v1/tokens').then(({ tokens }) => {
    list.replaceChildren(...(tokens.length ? tokens.map((k) => h('li', { class: 'row' },
      h('span', {}, h('strong', {}, k.name), ' — ', t(`scope_${k.scope}`), ' — ',
        k.last_used ? t('token_last_used', { when: formatDateTime(Date.parse(k.last_used), loc, ctx.tz) }) : t('token_never_used')),
      h('button', { type: 'button', class: 'secondary', 'aria-label': t('token_revoke_named', { name: k.name }),
        onclick: async () => { await ctx.api(`/api/v1/tokens/${k.id}`, { method: 'DELETE' }); await refresh(); } }, t('token_revoke')))) : [h('li', { class: 'muted' }, t('token_none'))]));
  });
  const name = field('token-name', t('token_name'), { required: true, maxlength: 64, autocomplete: 'off' });
  const scope = field('token-scope', t('token_scope'), {}, 'select');
  for (const s of ['read', 'write']) scope.input.append(h('option', { value: s }, t(`scope_${s}`)));
  const form = h('form', {}, h('h3', {}, t('token_create')), name.wrap, scope.wrap, h('button', { type: 'submit', class: 'primary' }, t('token_create_submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await ctx.api('/api/v1/tokens', { method: 'POST', body: { name: name.input.value, scope: scope.input.value } });
      secret.replaceChildren(h('p', { class: 'notice' }, t('token_secret_once'), h('code', { class: 'block secret', id: 'token-secret' }, r.secret)));
      form.reset();
      await refresh();
    } catch (e) {
      secret.replaceChildren(h('p', { role: 'alert' }, t('error_generic', { message: e.message })));
    }
  });
  refresh().catch(() => {});
  return section('settings-tokens', t('settings_tokens'), h('p', { class: 'muted small' }, t('token_help')), list, secret, form);
}

function exportSection(ctx) {
  const { t } = ctx;
  const today = localDate(Date.now(), ctx.tz);
  const sensor = field('export-sensor', t('sensor'), {}, 'select');
  const from = field('export-from', t('export_from'), { type: 'date', value: today, max: today, required: true });
  const to = field('export-to', t('export_to'), { type: 'date', value: today, max: today, required: true });
  const format = field('export-format', t('export_format'), {}, 'select');
  for (const f of ['csv', 'json']) format.input.append(h('option', { value: f }, f.toUpperCase()));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', {}, sensor.wrap, h('div', { class: 'row' }, from.wrap, to.wrap), format.wrap,
    h('button', { type: 'submit', class: 'primary' }, t('export_submit')), error);
  ctx.api('/api/v1/sensors').then(({ sensors }) => sensors.forEach((s) => sensor.input.append(h('option', { value: String(s.id) }, s.name)))).catch(() => {});
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (to.input.value < from.input.value) { error.textContent = t('export_bad_range'); return; }
    error.textContent = '';
    const a = periodRange('day', from.input.value, ctx.tz), b = periodRange('day', to.input.value, ctx.tz);
    location.href = `/api/v1/export?${qs({ sensor: sensor.input.value, from: a.from, to: b.to, format: format.input.value })}`;
  });
  return section('settings-export', t('settings_export'), h('p', { class: 'muted small' }, t('export_help')), form);
}

function languageSection(ctx) {
  const { t } = ctx;
  const sel = field('settings-lang', t('language'), {}, 'select');
  for (const l of LANGS) sel.input.append(h('option', { value: l, lang: l }, t(`lang_${l}`)));
  sel.input.value = document.documentElement.lang;
  sel.input.addEventListener('change', () => ctx.setLanguage(sel.input.value));
  return section('settings-language', t('settings_language'), sel.wrap);
}
