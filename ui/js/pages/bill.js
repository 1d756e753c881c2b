// "Facture": the current billing period so far and its projection with its interval, split by
// tariff period with the subscription, and the same dates last year when there is data.
import { h } from '../dom.js';
import { qs } from '../api.js';
import { formatEuro, formatKwh, formatPriceKwh, formatDateTime, formatPercent, formatDay } from '../format.js';
import { billView } from '../bill_view.js';
import { periodLabel } from '../tariff_periods.js';
import { pickSensor, sensorPicker } from './sensor_pick.js';

export function mount(main, ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('bill_title')));
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('loading')));
  main.append(head, body);
  (async () => {
    const sensor = await pickSensor(ctx);
    if (!sensor) { body.replaceChildren(h('p', {}, t('no_sensor_yet'))); return; }
    head.append(await sensorPicker(ctx, sensor, () => { main.replaceChildren(); mount(main, ctx); }));
    const v = billView(await ctx.api(`/api/v1/bill?${qs({ sensor: sensor.id })}`));
    body.replaceChildren(summaryCard(v, ctx, loc), splitCard(v, ctx, loc), lastYearCard(v, ctx, loc));
  })().catch((e) => body.replaceChildren(h('p', { role: 'alert' }, t('error_generic', { message: e.message }))));
}

function summaryCard(v, ctx, loc) {
  const { t } = ctx;
  const p = v.projection;
  return h('section', { class: 'card', 'aria-labelledby': 'bill-sofar-title' },
    h('h2', { id: 'bill-sofar-title' }, t('bill_period', { from: formatDay(v.firstDay, loc), to: formatDay(v.lastDay, loc) })),
    h('div', { class: 'bill-figures' },
      h('div', {}, h('p', { class: 'label' }, t('bill_so_far_label')),
        h('p', { class: 'figure', id: 'bill-total' }, formatEuro(v.total, loc)),
        h('p', { class: 'muted small' }, t('bill_as_of', { when: formatDateTime(v.asOf, loc, ctx.tz), energy: formatKwh(v.energyWh, loc) }))),
      p && h('div', {}, h('p', { class: 'label' }, t('bill_projection_label')),
        h('p', { class: 'figure', id: 'bill-projection' }, formatEuro(p.total, loc)),
        h('p', { class: 'muted small', id: 'bill-interval' }, t('bill_interval', { low: formatEuro(p.low, loc), high: formatEuro(p.high, loc) })))),
    v.elapsed !== null && h('div', { class: 'progress', role: 'img', 'aria-label': t('bill_elapsed', { share: formatPercent(v.elapsed, loc) }) },
      h('span', { style: `width:${(v.elapsed * 100).toFixed(1)}%` })),
    h('p', { class: 'muted small' }, t('bill_elapsed', { share: formatPercent(v.elapsed, loc) }),
      p ? ` ${t(p.days ? 'bill_projection_how' : 'bill_projection_none', { days: p.days })}` : ''),
    v.estimated && h('p', { class: 'muted small' }, t('bill_estimated')),
    v.colourAssumed && h('p', { class: 'muted small' }, t('bill_colour_assumed')));
}

function splitCard(v, ctx, loc) {
  const { t } = ctx;
  // Three columns fit a phone: the price goes under the period's name.
  const rows = v.periods.map((p, i) => h('tr', { 'data-period': p.period },
    h('th', { scope: 'row' }, periodLabel(p.period, t), h('span', { class: 'muted small block' }, formatPriceKwh(p.price, loc))),
    h('td', { class: 'num', id: `bill-kwh-${i}` }, formatKwh(p.energyWh, loc)),
    h('td', { class: 'num', id: `bill-cost-${i}` }, formatEuro(p.cost, loc))));
  return h('section', { class: 'card', 'aria-labelledby': 'bill-split-title' },
    h('h2', { id: 'bill-split-title' }, t('bill_split')),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'bill-split-title' }, h('table', { id: 'bill-table' },
      h('thead', {}, h('tr', {}, ['bill_col_period', 'bill_col_energy', 'bill_col_cost'].map((k, i) =>
        h('th', { scope: 'col', class: i ? 'num' : null }, t(k))))),
      h('tbody', {}, rows,
        h('tr', {}, h('th', { scope: 'row' }, t('bill_subscription')), h('td', {}),
          h('td', { class: 'num', id: 'bill-subscription' }, formatEuro(v.subscription, loc)))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('bill_total')),
        h('td', { class: 'num' }, formatKwh(v.energyWh, loc)),
        h('td', { class: 'num', id: 'bill-total-row' }, formatEuro(v.total, loc)))))),
    h('p', { class: 'muted small' }, t('bill_rounding')));
}

function lastYearCard(v, ctx, loc) {
  const { t } = ctx;
  const ly = v.lastYear;
  const children = ly
    ? [h('p', { class: 'figure', id: 'bill-last-year' }, formatEuro(ly.total, loc)),
      h('p', {}, t('bill_last_year_energy', { energy: formatKwh(ly.energyWh, loc) })),
      v.change !== null && h('p', { class: 'muted' }, t(v.change <= 0 ? 'bill_change_less' : 'bill_change_more', { share: formatPercent(Math.abs(v.change), loc) }))]
    : [h('p', { class: 'muted', id: 'bill-last-year-none' }, t('bill_last_year_none'))];
  return h('section', { class: 'card', 'aria-labelledby': 'bill-ly-title' },
    h('h2', { id: 'bill-ly-title' }, t('bill_last_year')), ...children);
}
