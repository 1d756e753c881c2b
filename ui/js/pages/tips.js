// "Conseils & alertes": the always-on power and what it costs in a year, tips computed from the
// household's data with their € value, and the open alerts to acknowledge.
import { h, append } from '../dom.js';
import { qs } from '../api.js';
import { panel, keepTitle, fetchInto, failIn } from './panel.js';
import { formatPower, formatEuro, formatKwh, formatDateTime } from '../format.js';
import { euros } from '../money.js';
import { alertText, tipText, render, ALERT_KINDS } from '../insight_text.js';
import { pickSensor } from './sensor_pick.js';

export function mount(main, ctx) {
  const { t } = ctx;
  const alerts = panel('alerts', t('alerts_title'), t);
  const baseload = panel('baseload', t('baseload_title'), t);
  const tips = panel('tips', t('tips_title'), t);
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('tips_page_title'))), alerts, baseload, tips);
  const fail = (el) => failIn(ctx, el);
  loadAlerts(ctx, alerts).catch(fail(alerts));
  pickSensor(ctx).then((s) => {
    if (!s) { for (const el of [baseload, tips]) keepTitle(el).append(h('p', {}, t('no_sensor_yet'))); return; }
    loadBaseload(ctx, baseload, s).catch(fail(baseload));
    loadTips(ctx, tips, s).catch(fail(tips));
  }).catch(fail(tips));
}

async function loadAlerts(ctx, el) {
  const { t } = ctx;
  const loc = ctx.locale();
  const a = await fetchInto(ctx, el, '/api/v1/alerts');
  const list = a.alerts || [];
  if (!list.length) { el.append(h('p', { id: 'alerts-none' }, t('alerts_none'))); return; }
  const readOnly = ctx.me?.user?.role !== 'admin';
  const kindLabel = (k) => t(ALERT_KINDS.includes(k) ? `alert_kind_${k}` : 'alert_kind_other');
  if (readOnly && list.some((x) => x.state === 'open')) el.append(h('p', { class: 'muted small' }, t('alerts_admin_acks')));
  el.append(h('ul', { class: 'plain alerts', id: 'alerts-list' }, list.map((x) => {
    const status = h('p', { class: 'form-status', role: 'status' });
    const ack = x.state === 'open' && !readOnly && h('button', { type: 'button', class: 'secondary', 'data-alert': String(x.id),
      'aria-label': t('alert_ack_named', { what: kindLabel(x.kind) }) }, t('alert_ack'));
    if (ack) ack.addEventListener('click', async () => {
      ack.disabled = true;
      try {
        await ctx.api(`/api/v1/alerts/${x.id}/ack`, { method: 'POST' });
        await loadAlerts(ctx, el);
        ctx.refreshAlerts?.();
      } catch (e) {
        ack.disabled = false;
        status.textContent = e.status === 403 ? t('alert_ack_forbidden') : t('error_generic', { message: e.message });
      }
    });
    return h('li', { class: `alert alert-${x.state}`, 'data-kind': x.kind },
      h('p', {}, h('strong', {}, kindLabel(x.kind)),
        ' · ', h('span', { class: 'muted small' }, t(`alert_state_${x.state}`), ' — ', formatDateTime(x.opened_ms, loc, ctx.tz))),
      h('p', {}, render(alertText(x, loc, ctx.tz), t, ctx.currentLang())),
      ack, status);
  })));
}

async function loadBaseload(ctx, el, sensor) {
  const { t } = ctx;
  const loc = ctx.locale();
  const b = await fetchInto(ctx, el, `/api/v1/baseload?${qs({ sensor: sensor.id })}`);
  if (typeof b.watts !== 'number') { el.append(h('p', {}, t('baseload_none'))); return; }
  append(el, [
    h('p', { class: 'figure', id: 'baseload-watts' }, formatPower(b.watts, loc)),
    h('p', { id: 'baseload-year' }, t('baseload_year', { cost: formatEuro(euros(b.yearly_cost), loc), energy: formatKwh(b.yearly_kwh * 1000, loc) })),
    h('p', { class: 'muted' }, t('baseload_what')),
    typeof b.change_w === 'number' && h('p', {}, t(b.change_w <= 0 ? 'baseload_down' : 'baseload_up', { watts: formatPower(Math.abs(b.change_w), loc) })),
    b.confidence === 'low' && h('p', { class: 'muted small' }, ctx.tn('baseload_low_confidence', b.nights)),
    h('p', { class: 'small' }, h('a', { href: '#/learn?topic=standby' }, t('baseload_learn')))]);
}

async function loadTips(ctx, el, sensor) {
  const { t } = ctx;
  const loc = ctx.locale();
  const r = await fetchInto(ctx, el, `/api/v1/tips?${qs({ sensor: sensor.id })}`);
  if (!r.tips?.length) { el.append(h('p', { id: 'tips-none' }, t('tips_none'))); return; }
  el.append(h('ul', { class: 'plain tips', id: 'tips-list' }, r.tips.map((tip) => h('li', { 'data-tip': tip.id },
    h('p', { class: 'tip-value' }, t('tip_value', { saving: formatEuro(euros(tip.saving_year), loc) })),
    h('p', {}, render(tipText(tip, loc), t, ctx.currentLang()))))));
}
