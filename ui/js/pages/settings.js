// "Réglages" (administrators): sensors, tariff, users, API tokens, export, language.
// The API has no route to rename or remove a sensor: the page shows the command instead.
import { h, field } from '../dom.js';
import { qs } from '../api.js';
import { LANGS } from '../i18n.js';
import { formatDateTime, formatPercent, formatVolts, formatPower, formatKwh, formatNumber } from '../format.js';
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
  const loc = ctx.locale();
  const body = h('div', { class: 'table-wrap' });
  const s = section('settings-sensors', t('settings_sensors'), body,
    h('p', { class: 'muted small' }, t('sensor_manage_cli')), h('pre', {}, h('code', {}, 'citizenwatt sensor add "Compteur"\ncitizenwatt sensor remove ID')));
  ctx.api('/api/v1/sensors').then(({ sensors }) => {
    if (!sensors.length) { body.append(h('p', {}, t('wizard_sensor_none'))); return; }
    body.append(h('table', {},
      h('caption', { class: 'sr-only' }, t('settings_sensors')),
      h('thead', {}, h('tr', {}, ['sensor', 'sensor_seen', 'sensor_power', 'sensor_supply', 'sensor_loss', 'sensor_security'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, sensors.map((x) => h('tr', {},
        h('th', { scope: 'row' }, x.name, h('span', { class: 'muted small block' }, `#${x.id}`)),
        h('td', {}, x.last_seen ? formatDateTime(Date.parse(x.last_seen), loc, ctx.tz) : t('sensor_never_seen')),
        h('td', {}, formatPower(x.last_power_w, loc, x.power_unit), h('span', { class: 'muted small block' }, formatKwh(x.energy_wh, loc)),
          x.energy_source === 'estimated' ? h('span', { class: 'muted small block' }, t('sensor_energy_estimated')) : ''),
        h('td', {}, formatVolts(x.supply_v, loc, 2), x.flags?.low_battery ? h('span', { class: 'badge warn block' }, t('sensor_low_battery')) : '',
          x.voltage_v !== null && x.voltage_v !== undefined ? h('span', { class: 'muted small block' }, t('sensor_mains', { v: formatVolts(x.voltage_v, loc) })) : ''),
        h('td', {}, formatPercent(x.loss_ratio, loc), h('span', { class: 'muted small block' },
          t('sensor_frames', { ok: formatNumber(x.frames?.accepted ?? 0, loc), lost: formatNumber(x.frames?.lost ?? 0, loc) }))),
        h('td', {}, ORIGINS.includes(x.kind) ? t(`sensor_origin_${x.kind}`)
          : x.secure ? t('sensor_secure') : h('span', { class: 'badge warn' }, t('sensor_insecure'))))))));
  }).catch((e) => body.append(h('p', { role: 'alert' }, t('error_generic', { message: e.message }))));
  return s;
}

function tariffSection(ctx) {
  const { form, load } = tariffForm(ctx, { idPrefix: 'settings-tariff' });
  load().catch(() => {});
  return section('settings-tariff', ctx.t('settings_tariff'), form);
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
