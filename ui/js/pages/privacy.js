// "Partage" : consent per purpose and granularity (with the exact text, its version), what is
// shared, the comparator computed at home, and revocation (docs/privacy.md, docs/api.md).
// Every change is for an administrator; members see the state.
import { h, field } from '../dom.js';
import { formatDateTime, formatKwh, formatPercent } from '../format.js';

const ITEMS = ['open_data', 'half_hour', 'comparator', 'challenges'];
const CONTEXT = {
  household_size: ['', '1', '2', '3-4', '5+'],
  heating: ['', 'electric', 'heat_pump', 'gas', 'other'],
  dwelling: ['', 'flat', 'house'],
};

export function mount(main, ctx) {
  const { t } = ctx;
  const admin = ctx.me?.user?.role === 'admin';
  const body = h('div', {});
  const live = h('p', { class: 'form-status', role: 'status', id: 'privacy-status' });
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('privacy_title'))),
    h('p', { class: 'muted' }, t('privacy_intro')), live, body);
  if (!admin) main.insertBefore(h('p', { class: 'notice' }, t('privacy_admin_only')), body);
  const refresh = async () => {
    const [state, shared, comparator] = await Promise.all([
      ctx.api('/api/v1/privacy'), ctx.api('/api/v1/privacy/shared'), ctx.api('/api/v1/privacy/comparator')]);
    body.replaceChildren(consentSection(ctx, state, admin, change), contextSection(ctx, state, admin, change),
      comparatorSection(ctx, comparator), sharedSection(ctx, state, shared), hubSection(ctx, state, admin, change),
      ledgerSection(ctx, state, admin, change));
  };
  async function change(path, method, payload, done) {
    try {
      await ctx.api(path, { method, body: payload });
      await refresh();  // the page is redrawn first: what the status confirms is on screen
      live.textContent = done;
    } catch (e) {
      live.textContent = t('error_generic', { message: e.message });
    }
  }
  refresh().catch((e) => body.append(h('p', { role: 'alert' }, t('error_generic', { message: e.message }))));
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

function consentSection(ctx, state, admin, change) {
  const { t } = ctx;
  const lang = ctx.currentLang();
  const items = ITEMS.map((item) => {
    const c = state.consents[item];
    const text = state.texts[item];
    const backfill = field(`privacy-backfill-${item}`, t('privacy_backfill'), {}, 'select');
    for (const d of [0, 7, 30]) backfill.input.append(h('option', { value: String(d) }, t('privacy_backfill_days', { n: d })));
    const grant = h('button', { type: 'button', class: 'primary', disabled: !admin || (item === 'half_hour' && !state.consents.open_data.granted) },
      t('privacy_accept'));
    grant.onclick = () => change('/api/v1/privacy/consent', 'PUT',
      { purpose: item, granted: true, text_version: text.version, lang, backfill_days: Number(backfill.input.value) },
      t('privacy_granted_done', { item: t(`privacy_item_${item}`) }));
    const revoke = h('button', { type: 'button', disabled: !admin }, t('privacy_revoke'));
    revoke.onclick = () => change('/api/v1/privacy/consent', 'PUT', { purpose: item, granted: false },
      t('privacy_revoked_done', { item: t(`privacy_item_${item}`) }));
    return h('article', { class: 'consent', id: `consent-${item}` },
      h('h3', {}, t(`privacy_item_${item}`)),
      h('p', { class: c.granted ? 'badge ok' : 'badge' }, c.granted
        ? t('privacy_on_since', { date: formatDateTime(Date.parse(c.since), ctx.locale(), ctx.tz), version: c.text_version })
        : t('privacy_off')),
      h('blockquote', { lang, class: 'consent-text' }, text[lang]),
      h('p', { class: 'muted small' }, t('privacy_text_version', { version: text.version })),
      c.granted ? revoke : [item === 'open_data' ? backfill.wrap : '', grant]);
  });
  return section('privacy-consent', t('privacy_consent'), h('p', { class: 'muted small' }, t('privacy_consent_help')), items);
}

function contextSection(ctx, state, admin, change) {
  const { t } = ctx;
  const area = field('privacy-area', t('privacy_area'), { value: state.context.area, maxlength: 5, pattern: '[0-9AB]{5}', inputmode: 'numeric', disabled: !admin });
  const selects = Object.entries(CONTEXT).map(([name, values]) => {
    const f = field(`privacy-${name}`, t(`privacy_${name}`), { disabled: !admin }, 'select');
    for (const v of values) f.input.append(h('option', { value: v, selected: state.context[name] === v }, v ? t(`privacy_${name}_${v.replace(/[^a-z0-9]/g, '_')}`) : t('privacy_not_given')));
    return [name, f];
  });
  const form = h('form', {}, h('p', { class: 'muted small' }, t('privacy_context_help')), area.wrap, selects.map(([, f]) => f.wrap),
    h('button', { type: 'submit', disabled: !admin }, t('save')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const payload = { area: area.input.value.trim() };
    for (const [name, f] of selects) payload[name] = f.input.value;
    change('/api/v1/privacy/context', 'PUT', payload, t('privacy_context_saved'));
  });
  return section('privacy-context', t('privacy_context'), form);
}

function comparatorSection(ctx, cmp) {
  const { t } = ctx;
  const loc = ctx.locale();
  if (!cmp.available) return section('privacy-comparator', t('privacy_comparator'), h('p', {}, t('privacy_comparator_none')));
  return section('privacy-comparator', t('privacy_comparator'),
    h('p', { class: 'big' }, t('privacy_comparator_less', { share: formatPercent(cmp.share_using_more, loc) })),
    h('p', { class: 'muted small' }, t('privacy_comparator_local')));
}

function sharedSection(ctx, state, shared) {
  const { t } = ctx;
  const loc = ctx.locale();
  const q = state.queue;
  const rows = shared.days.slice(-31).reverse().map((d) => h('tr', {},
    h('th', { scope: 'row' }, d.period),
    h('td', {}, t(`privacy_state_${d.state}`)),
    h('td', {}, d.contribution?.daily_wh !== undefined ? formatKwh(d.contribution.daily_wh, loc) : '—'),
    h('td', {}, d.contribution?.half_hours_wh ? t('privacy_half_hours', { n: d.contribution.half_hours_wh.length }) : t('privacy_daily_only')),
    h('td', { class: 'small' }, d.last_error || '')));
  return section('privacy-shared', t('privacy_shared'),
    h('p', {}, t('privacy_queue', { sent: q.sent, pending: q.pending, erasing: q.erasures_pending })),
    h('p', { class: 'muted small' }, t('privacy_shared_help')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'sr-only' }, t('privacy_shared')),
      h('thead', {}, h('tr', {}, [t('privacy_day'), t('privacy_state'), t('privacy_energy'), t('privacy_granularity'), t('privacy_error')].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows))) : h('p', {}, t('privacy_nothing_shared')));
}

function hubSection(ctx, state, admin, change) {
  const { t } = ctx;
  const url = field('privacy-hub-url', t('privacy_hub_url'), { type: 'url', value: state.hub.url, placeholder: 'https://', disabled: !admin });
  const cred = field('privacy-hub-credential', t('privacy_hub_credential'), { autocomplete: 'off', disabled: !admin });
  const ca = field('privacy-hub-ca', t('privacy_hub_ca'), { rows: 3, disabled: !admin }, 'textarea');
  const form = h('form', {}, h('p', {}, state.hub.enrolled ? t('privacy_hub_enrolled', { url: state.hub.url }) : t('privacy_hub_none')),
    url.wrap, cred.wrap, ca.wrap, h('button', { type: 'submit', disabled: !admin }, t('save')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    change('/api/v1/privacy/hub', 'PUT', { url: url.input.value.trim(), credential: cred.input.value.trim(), ca_pem: ca.input.value }, t('privacy_hub_saved'));
  });
  return section('privacy-hub', t('privacy_hub'), form);
}

function ledgerSection(ctx, state, admin, change) {
  const { t } = ctx;
  const all = h('button', { type: 'button', class: 'danger', disabled: !admin }, t('privacy_revoke_all'));
  all.onclick = () => change('/api/v1/privacy/consent', 'DELETE', undefined, t('privacy_revoked_all_done'));
  return section('privacy-ledger', t('privacy_ledger'),
    h('ul', { class: 'plain' }, state.ledger.slice().reverse().map((e) => h('li', {},
      formatDateTime(Date.parse(e.t), ctx.locale(), ctx.tz), ' — ', t(`privacy_item_${e.purpose}`), ' : ',
      e.granted ? t('privacy_ledger_granted', { version: e.text_version, lang: e.lang }) : t('privacy_ledger_revoked')))),
    h('p', { class: 'muted small' }, t('privacy_revoke_all_help')), all);
}
