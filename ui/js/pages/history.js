// "Historique": a day, week, month or year with ◀ ▶ and a date picker; power (W), energy (kWh)
// or cost (€); the previous period in overlay; the always-on power as a band; drag to zoom.
// The view lives in the URL (#/history?period=day&date=2024-04-01&unit=W&prev=1).
import { h, field } from '../dom.js';
import { qs } from '../api.js';
import { PERIODS, periodRange, shiftDate, localDate, energyGrain } from '../time.js';
import { formatKwh, formatEuro, formatPower, formatPeriod, formatTick, formatNumber } from '../format.js';
import { alignSeries, energyColumns, overlayByIndex, pointsFor } from '../series.js';
import { costColumns, euros } from '../money.js';
import { drawChart } from '../chart.js';
import { pickSensor, sensorPicker } from './sensor_pick.js';

const UNITS = ['W', 'kWh', 'EUR'];

function readView(params, tz) {
  const period = PERIODS.includes(params.get('period')) ? params.get('period') : 'day';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') ? params.get('date') : localDate(Date.now(), tz);
  const unit = UNITS.includes(params.get('unit')) ? params.get('unit') : 'W';
  return { period, date, unit, prev: params.get('prev') === '1' };
}

function go(view) {
  location.hash = `#/history?${qs({ period: view.period, date: view.date, unit: view.unit, prev: view.prev ? 1 : 0 })}`;
}

function radioGroup(name, legend, values, current, label, onPick, disabled = () => false) {
  return h('fieldset', { class: 'segmented' }, h('legend', {}, legend),
    values.map((v) => {
      const id = `${name}-${v}`;
      const input = h('input', { type: 'radio', name, id, value: v, checked: v === current, disabled: disabled(v) });
      input.addEventListener('change', () => onPick(v));
      return h('span', {}, input, h('label', { for: id }, label(v)));
    }));
}

export function mount(main, ctx, params) {
  const { t } = ctx;
  const loc = ctx.locale();
  const view = readView(params, ctx.tz);
  const range = periodRange(view.period, view.date, ctx.tz);
  const title = formatPeriod(view.period, range.from, loc, ctx.tz, t('week_of'));
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('history_title')));
  const date = field('history-date', t('history_date'), { type: 'date', value: view.date, max: localDate(Date.now(), ctx.tz) });
  date.input.addEventListener('change', () => { if (date.input.value) go({ ...view, date: date.input.value }); });
  const nav = h('div', { class: 'period-nav' },
    h('button', { type: 'button', id: 'history-prev', class: 'icon-btn', 'aria-label': t('history_previous'), onclick: () => go({ ...view, date: shiftDate(view.period, view.date, -1) }) }, '◀'),
    h('h2', { id: 'history-period', 'aria-live': 'polite' }, title),
    h('button', { type: 'button', id: 'history-next', class: 'icon-btn', 'aria-label': t('history_next'), disabled: range.to > Date.now(), onclick: () => go({ ...view, date: shiftDate(view.period, view.date, 1) }) }, '▶'));
  const periods = radioGroup('period', t('history_period'), PERIODS, view.period, (p) => t(`period_${p}`), (p) => go({ ...view, period: p }));
  const bandNote = h('p', { class: 'muted small', id: 'band-note' });
  const summary = h('p', { class: 'summary', id: 'history-total' }, '—');
  const chartBox = h('div', { class: 'chart', id: 'history-chart' });
  const caption = h('figcaption', { class: 'muted small' });
  const reset = h('button', { type: 'button', class: 'secondary', id: 'zoom-reset', disabled: true }, t('zoom_reset'));
  const prev = h('input', { type: 'checkbox', id: 'history-overlay', checked: view.prev });
  prev.addEventListener('change', () => go({ ...view, prev: prev.checked }));
  const exportLinks = h('p', { class: 'small' }, t('export_period'), ' ',
    ['csv', 'json'].map((f, i) => [i ? ' · ' : '', h('a', { class: 'export-link', 'data-format': f, href: '#', download: '' }, f.toUpperCase())]));
  const controls = h('div', { class: 'controls' }, periods, date.wrap);
  main.append(head, h('section', { class: 'card' }, controls, nav, summary,
    h('figure', {}, chartBox, caption),
    h('div', { class: 'row' },
      h('span', { class: 'check' }, prev, h('label', { for: 'history-overlay' }, t('history_overlay'))), reset),
    bandNote, exportLinks));

  let chart = null;
  (async () => {
    const sensor = await pickSensor(ctx);
    if (!sensor) { summary.textContent = t('no_sensor_yet'); return; }
    head.append(await sensorPicker(ctx, sensor, () => go(view)));
    for (const a of exportLinks.querySelectorAll('a')) {
      a.href = `/api/v1/export?${qs({ sensor: sensor.id, from: range.from, to: range.to, format: a.dataset.format })}`;
    }
    const units = radioGroup('unit', t('history_unit'), UNITS, view.unit, (u) => t(`unit_${u}`), (u) => go({ ...view, unit: u }));
    controls.append(units);
    const unit = view.unit;
    const [data, baseload] = await Promise.all([
      loadData(ctx, sensor, view, range, unit, chartBox.clientWidth || 600),
      ctx.api(`/api/v1/baseload?${qs({ sensor: sensor.id })}`).catch(() => null),  // no band rather than no chart
    ]);
    summary.replaceChildren(t('history_total', { energy: formatKwh(data.totalWh, loc) }), data.cost
      ? h('span', { class: 'block summary-cost', id: 'history-cost' }, t('history_total_cost', { cost: formatEuro(euros(data.cost.energy_cost), loc), subscription: formatEuro(euros(data.cost.subscription), loc) }))
      : '');
    caption.textContent = t(`chart_caption_${unit}`, { period: title });
    const band = alwaysOnBand(baseload, unit, data);
    bandNote.textContent = band ? t('band_note', { watts: formatPower(baseload.watts, loc) }) : '';
    const fmtY = { W: (v) => formatPower(v, loc), kWh: (v) => `${formatNumber(v, loc, v < 10 ? 2 : 1)} kWh`, EUR: (v) => formatEuro(v, loc) }[unit];
    const series = [{ label: t('series_current'), ys: data.ys }];
    if (data.prevYs) series.push({ label: t('series_previous'), ys: data.prevYs, previous: true });
    chart = drawChart(chartBox, {
      xs: data.xs, series, band, bars: unit !== 'W', period: view.period, xMax: range.to / 1000, xLabel: view.period === 'day' ? t('chart_time') : t('history_date'), fmtAxis: axisFormat(unit, loc), height: window.innerWidth < 600 ? 220 : 300,
      fmtX: (ms) => formatTick(view.period, ms, loc, ctx.tz), fmtY,
      onZoom: (u) => { reset.disabled = u.scales.x.min <= data.xs[0] && u.scales.x.max >= range.to / 1000; },
    }, ctx.tz);
    chartBox.dataset.points = String(data.xs.length);
    chartBox.dataset.unit = unit;
    reset.onclick = () => { chart.resetZoom(); reset.disabled = true; };
  })().catch((e) => { summary.textContent = t('error_generic', { message: e.message }); });
  return () => chart?.destroy();
}

/** Axis labels: whole numbers when the scale is wide, decimals on small values. */
function axisFormat(unit, loc) {
  const n = (v) => formatNumber(v, loc, Math.abs(v) >= 10 || v === 0 ? 0 : Math.abs(v) >= 1 ? 1 : 2);
  if (unit === 'W') return (v) => formatPower(v, loc);
  if (unit === 'kWh') return (v) => `${n(v)} kWh`;
  return (v) => formatEuro(v, loc);
}

/**
 * Columns for the chart, the period's total energy and its cost so far (GET /cost up to now:
 * the subscription of days to come is not counted); never more than 2000 points a request.
 */
async function loadData(ctx, sensor, view, range, unit, width) {
  const base = `/api/v1/sensors/${sensor.id}`;
  const by = energyGrain(view.period);
  const prevRange = periodRange(view.period, shiftDate(view.period, view.date, -1), ctx.tz);
  const energy = (r) => ctx.api(`${base}/energy?${qs({ by, from: r.from, to: r.to })}`);
  const cost = (from, to) => ctx.api(`/api/v1/cost?${qs({ sensor: sensor.id, by, from, to })}`);
  const now = Date.now();
  const [cur, soFar] = await Promise.all([energy(range), now - range.from >= 60000 ? cost(range.from, Math.min(range.to, now)) : null]);
  const out = { totalWh: cur.total_wh, cost: soFar };
  if (unit === 'W') {
    const points = pointsFor(width);
    const series = async (r) => {
      const s = await ctx.api(`${base}/series?${qs({ from: r.from, to: r.to, points, unit: 'W' })}`);
      return alignSeries(s.points, Date.parse(s.from), Date.parse(s.to), s.step_s);
    };
    Object.assign(out, await series(range));
    if (view.prev) out.prevYs = overlayByIndex(out.xs, (await series(prevRange)).ys);
    return out;
  }
  // Bars cover the whole period (buckets still to come are gaps), so the previous period's
  // bars all have a place beside them.
  const columns = unit === 'kWh'
    ? async (r, body) => energyColumns((body || await energy(r)).buckets)
    : async (r, body) => costColumns((body || await cost(r.from, r.to)).buckets);
  const body = unit === 'kWh' ? cur : range.to <= now && soFar ? soFar : await cost(range.from, range.to);
  Object.assign(out, await columns(range, body));
  out.bucketHours = body.buckets.map((b) => (b.end_ms - b.start_ms) / 3600000);
  if (view.prev) out.prevYs = overlayByIndex(out.xs, (await columns(prevRange)).ys);
  return out;
}

/**
 * The always-on power (GET /baseload) drawn under the chart: a constant level in watts, or per
 * bucket the energy (or cost, at the price the API valued it) it uses over the bucket's hours.
 */
function alwaysOnBand(baseload, unit, data) {
  if (!baseload || typeof baseload.watts !== 'number' || baseload.watts <= 0) return null;
  if (unit === 'W') return { value: baseload.watts };
  const eurPerKwh = baseload.yearly_kwh > 0 ? euros(baseload.yearly_cost) / baseload.yearly_kwh : null;
  const perHour = baseload.watts / 1000 * (unit === 'EUR' ? eurPerKwh : 1);
  if (!Number.isFinite(perHour) || !data.bucketHours) return null;
  return { ys: data.bucketHours.map((hours) => perHour * hours) };
}
