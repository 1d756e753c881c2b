// "Maintenant": the live power in big type, how it compares with the usual level of this hour
// (in words and colour), what it costs at this rate at the price of the period in force, the
// tariff period and its next change, today so far in kWh and €, this bill and the month ahead.
import { h } from '../dom.js';
import { qs } from '../api.js';
import { LiveStream, silentSince } from '../live.js';
import { formatPower, formatKwh, formatEuro, formatClock, formatPriceKwh } from '../format.js';
import { localParts, startOfLocalDay } from '../time.js';
import { usualPowerForHour, compareToUsual } from '../usual.js';
import { costPerHour, costPerMonth, euros, price } from '../money.js';
import { describePeriod, periodLabel, nextChange } from '../tariff_periods.js';
import { alertText, render } from '../insight_text.js';
import { pickSensor, sensorPicker } from './sensor_pick.js';

const ICONS = { low: '▼', usual: '●', high: '▲', very_high: '▲▲' };

function card(id, title, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': `${id}-label` }, h('h2', { id: `${id}-label`, class: 'label' }, title), ...children);
}

/** The page's elements, in place in `main`; the loaders fill them. */
function view(main, t) {
  const el = {
    alerts: h('div', { id: 'now-alerts' }),
    power: h('p', { class: 'big-power', id: 'live-power' }, '—'),
    level: h('p', { class: 'level', id: 'live-level', 'aria-live': 'polite' }),
    cost: h('p', { class: 'cost', id: 'live-cost' }),
    status: h('p', { class: 'muted', id: 'live-status', role: 'status' }),
    period: h('p', { class: 'period-chip', id: 'tariff-period' }, '—'),
    periodNote: h('p', { class: 'muted small', id: 'tariff-next' }),
    todayKwh: h('p', { class: 'big-energy', id: 'today-kwh' }, '—'),
    todayEur: h('p', { class: 'figure-sub', id: 'today-eur' }),
    bill: h('p', { class: 'figure', id: 'bill-value' }, '—'),
    billNote: h('p', { class: 'muted small', id: 'bill-note' }),
    forecast: h('p', { class: 'figure', id: 'forecast-value' }, '—'),
    forecastNote: h('p', { class: 'muted small', id: 'forecast-note' }),
  };
  const header = h('div', { class: 'page-head' }, h('h1', {}, t('now_title')));
  main.append(header, el.alerts,
    h('section', { class: 'card live', 'aria-labelledby': 'live-label' },
      h('h2', { id: 'live-label', class: 'label' }, t('now_power_label')), el.power, el.level, el.cost, el.status),
    h('div', { class: 'grid' },
      card('period', t('now_period'), el.period, el.periodNote),
      card('today', t('now_today'), el.todayKwh, el.todayEur),
      card('bill', t('now_bill'), el.bill, el.billNote, h('p', { class: 'small' }, h('a', { href: '#/bill' }, t('now_bill_more')))),
      card('forecast', t('now_forecast'), el.forecast, el.forecastNote)));
  return { el, header };
}

export function mount(main, ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const { el, header } = view(main, t);

  const st = { sensor: null, lastMs: 0, power: null, usual: null, price: null, stream: 'connecting', tariffUntil: 0, silentAlert: 0 };
  const timers = [];
  let live = null;

  function showPower() {
    el.power.textContent = formatPower(st.power, loc);
    const level = compareToUsual(st.power, st.usual);
    el.level.className = `level ${level ? `level-${level}` : ''}`;
    el.level.replaceChildren(...(level
      ? [h('span', { 'aria-hidden': 'true', class: 'icon' }, ICONS[level]), ' ', t(`level_${level}`, { usual: formatPower(st.usual, loc) })]
      : [t(st.power === null ? 'level_waiting' : 'level_unknown')]));
    el.cost.textContent = st.power === null ? t('cost_waiting_power') : st.price === null ? t('cost_waiting_price')
      : t('cost_at_rate', { hour: formatEuro(costPerHour(st.power, st.price), loc), month: formatEuro(costPerMonth(st.power, st.price), loc) });
  }

  function showStatus() {
    // The base's own alert (its threshold is configurable) or a minute without a frame here.
    const since = st.silentAlert || silentSince(st.lastMs, st.sensor?.created ? Date.parse(st.sensor.created) : 0, Date.now());
    if (since) el.status.textContent = t(st.lastMs ? 'sensor_silent' : 'sensor_silent_never', { time: formatClock(since, loc, ctx.tz) });
    else if (!st.lastMs) el.status.textContent = t('sensor_waiting');
    else if (st.stream === 'reconnecting') el.status.textContent = t('live_reconnecting');
    else el.status.textContent = t('live_updated', { time: formatClock(st.lastMs, loc, ctx.tz) });
    el.status.classList.toggle('warn', Boolean(since));
  }

  async function loadToday() {
    const now = Date.now();
    const from = startOfLocalDay(now, ctx.tz);
    const e = await ctx.api(`/api/v1/sensors/${st.sensor.id}/energy?${qs({ by: 'day', from, to: now })}`);
    el.todayKwh.textContent = formatKwh(e.total_wh, loc);
    if (now - from < 60000) return;  // the cost API counts whole minutes
    const c = await ctx.api(`/api/v1/cost?${qs({ sensor: st.sensor.id, from, to: now, by: 'day' })}`);
    el.todayEur.textContent = t('today_cost', { total: formatEuro(euros(c.total), loc), subscription: formatEuro(euros(c.subscription), loc) });
  }

  async function loadUsual() {
    const now = Date.now();
    const e = await ctx.api(`/api/v1/sensors/${st.sensor.id}/energy?${qs({ by: 'hour', from: now - 28 * 86400000, to: startOfLocalDay(now, ctx.tz) })}`);
    st.usual = usualPowerForHour(e.buckets, localParts(now, ctx.tz).hour);
    showPower();
  }

  async function loadPeriod() {
    const n = await ctx.api('/api/v1/tariff/now');
    st.price = price(n.price_kwh);
    st.tariffUntil = n.until_ms;
    showPeriod(el, n, ctx);
    showPower();
  }

  async function loadBill() {
    const b = await ctx.api(`/api/v1/bill?${qs({ sensor: st.sensor.id })}`);
    el.bill.textContent = formatEuro(euros(b.so_far.total), loc);
    el.billNote.textContent = t('bill_projection_short', { total: formatEuro(euros(b.projection.total), loc) });
  }

  async function loadForecast() {
    showForecast(el, await ctx.api(`/api/v1/forecast?${qs({ sensor: st.sensor.id })}`), ctx);
  }

  async function loadAlerts() {
    const a = await ctx.api('/api/v1/alerts');  // open and acknowledged
    const open = (a.alerts || []).filter((x) => x.state === 'open');
    // An acknowledged silence is still a silence: only the banner leaves it out.
    const silent = (a.alerts || []).find((x) => x.kind === 'sensor_silent' && x.state !== 'closed' && x.params?.sensor === st.sensor.id);
    st.silentAlert = silent && !(st.lastMs > silent.opened_ms) ? silent.params.since_ms || silent.opened_ms : 0;
    showStatus();
    el.alerts.replaceChildren(...(open.length ? [alertBanner(open, ctx)] : []));
  }

  const quiet = (p) => p.catch((e) => console.warn(e));

  async function start() {
    st.sensor = await pickSensor(ctx);
    if (!st.sensor) {
      el.status.textContent = t('no_sensor_yet');
      showPower();
      quiet(loadPeriod());
      return;
    }
    header.append(await sensorPicker(ctx, st.sensor, () => { cleanup(); main.replaceChildren(); mount(main, ctx); }));
    st.power = st.sensor.last_power_w ?? null;
    st.lastMs = st.sensor.last_seen ? Date.parse(st.sensor.last_seen) : 0;
    showPower();
    showStatus();
    live = new LiveStream(`/api/v1/live?${qs({ sensor: st.sensor.id })}`, {
      onSample: (s) => {
        if (s.sensor !== st.sensor.id) return;
        st.power = s.power_w;
        st.lastMs = s.t_ms ?? Date.parse(s.t);
        st.silentAlert = 0;  // a frame closes the episode
        showPower();
        showStatus();
      },
      onState: (s) => { st.stream = s; showStatus(); },
    });
    live.open();
    timers.push(setInterval(showStatus, 5000));
    timers.push(setInterval(() => quiet(loadToday()), 60000));
    timers.push(setInterval(() => { if (Date.now() >= st.tariffUntil) quiet(loadPeriod()); }, 30000));
    timers.push(setInterval(() => quiet(loadUsual()), 15 * 60000));
    timers.push(setInterval(() => quiet(loadAlerts()), 60000));
    await Promise.all([loadPeriod(), loadToday(), loadUsual(), loadBill(), loadForecast(), loadAlerts()].map(quiet));
  }

  function cleanup() {
    live?.close();
    timers.forEach(clearInterval);
  }
  showPower();
  quiet(start());
  return cleanup;
}

/** The period in force in words (and an echo of its colour), its price and the next change. */
function showPeriod(el, n, ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const d = describePeriod(n.period);
  el.period.className = `period-chip ${d.colour ? `tempo-${d.colour}` : d.offpeak ? 'offpeak' : 'peak'}`;
  el.period.replaceChildren(h('strong', {}, periodLabel(n.period, t)), ' · ', formatPriceKwh(price(n.price_kwh), loc));
  const next = nextChange(n);
  const notes = [next
    ? t('period_next', { time: formatClock(next.start_ms, loc, ctx.tz), period: periodLabel(next.period, t), price: formatPriceKwh(price(next.price_kwh), loc) })
    : t('period_all_day')];
  if (n.colour_assumed) notes.push(t('period_colour_assumed'));
  el.periodNote.textContent = notes.join(' ');
}

/** The month's expected total with its interval; how sure it is, in words. Its euros are the
 * bill card's projection: one estimate in euros per screen, not two that disagree. */
function showForecast(el, fc, ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const m = fc.month_end;
  if (!m || fc.confidence === 'none') {
    el.forecastNote.textContent = t('forecast_none');
    return;
  }
  el.forecast.textContent = formatKwh(m.total_kwh * 1000, loc);
  el.forecastNote.textContent = [t('forecast_month_end', { low: formatKwh(m.low_kwh * 1000, loc), high: formatKwh(m.high_kwh * 1000, loc) }),
    fc.confidence === 'low' ? t('forecast_low_confidence') : ''].filter(Boolean).join(' ');
}

/** How many alerts are open, the newest in words, and the way to them. */
function alertBanner(open, ctx) {
  const { t } = ctx;
  return h('div', { class: 'notice alert-banner', role: 'status' },
    h('strong', {}, ctx.tn('alerts_open_count', open.length)), ' — ',
    render(alertText(open[0], ctx.locale(), ctx.tz), t, ctx.currentLang()), ' ',
    h('a', { href: '#/tips' }, t('alerts_see')));
}
