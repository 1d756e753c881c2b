// "Maintenant": the live power in big type, how it compares with the usual level of this hour,
// what it costs at this rate, today so far, and this month's bill and forecast when available.
import { h } from '../dom.js';
import { qs, optional } from '../api.js';
import { LiveStream, isSilent } from '../live.js';
import { formatPower, formatKwh, formatEuro, formatClock } from '../format.js';
import { localParts, startOfLocalDay } from '../time.js';
import { usualPowerForHour, compareToUsual } from '../usual.js';
import { costPerHour, costPerMonth, currentPrice, totalEuros } from '../money.js';
import { pickSensor, sensorPicker } from './sensor_pick.js';

const ICONS = { low: '▼', usual: '●', high: '▲', very_high: '▲▲' };

export function mount(main, ctx) {
  const { t } = ctx;
  const loc = ctx.locale();
  const el = {
    power: h('p', { class: 'big-power', id: 'live-power' }, '—'),
    level: h('p', { class: 'level', id: 'live-level', 'aria-live': 'polite' }),
    cost: h('p', { class: 'cost', id: 'live-cost' }),
    status: h('p', { class: 'muted', id: 'live-status', role: 'status' }),
    todayKwh: h('p', { class: 'big-energy', id: 'today-kwh' }, '—'),
    todayEur: h('p', { class: 'muted', id: 'today-eur' }),
    bill: h('p', { class: 'figure', id: 'bill-value' }, '—'),
    billNote: h('p', { class: 'muted small' }),
    forecast: h('p', { class: 'figure', id: 'forecast-value' }, '—'),
    forecastNote: h('p', { class: 'muted small' }),
  };
  const header = h('div', { class: 'page-head' }, h('h1', {}, t('now_title')));
  main.append(header,
    h('section', { class: 'card live', 'aria-labelledby': 'live-label' },
      h('h2', { id: 'live-label', class: 'label' }, t('now_power_label')), el.power, el.level, el.cost, el.status),
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'today-label' },
        h('h2', { id: 'today-label', class: 'label' }, t('now_today')), el.todayKwh, el.todayEur),
      h('section', { class: 'card', 'aria-labelledby': 'bill-label' },
        h('h2', { id: 'bill-label', class: 'label' }, t('now_bill')), el.bill, el.billNote),
      h('section', { class: 'card', 'aria-labelledby': 'forecast-label' },
        h('h2', { id: 'forecast-label', class: 'label' }, t('now_forecast')), el.forecast, el.forecastNote)));

  const st = { sensor: null, lastMs: 0, power: null, usual: null, price: null, stream: 'connecting' };
  const timers = [];
  let live = null;

  function showPower() {
    el.power.textContent = formatPower(st.power, loc);
    const level = compareToUsual(st.power, st.usual);
    el.level.className = `level ${level ? `level-${level}` : ''}`;
    el.level.replaceChildren(...(level
      ? [h('span', { 'aria-hidden': 'true', class: 'icon' }, ICONS[level]), ' ', t(`level_${level}`, { usual: formatPower(st.usual, loc) })]
      : [t(st.usual === null ? 'level_unknown' : 'level_waiting')]));
    el.cost.textContent = st.price === null
      ? t('cost_no_tariff')
      : t('cost_at_rate', { hour: formatEuro(costPerHour(st.power, st.price), loc), month: formatEuro(costPerMonth(st.power, st.price), loc) });
  }

  function showStatus() {
    if (!st.lastMs) el.status.textContent = t('sensor_waiting');
    else if (isSilent(st.lastMs, Date.now())) el.status.textContent = t('sensor_silent', { time: formatClock(st.lastMs, loc, ctx.tz) });
    else if (st.stream === 'reconnecting') el.status.textContent = t('live_reconnecting');
    else el.status.textContent = t('live_updated', { time: formatClock(st.lastMs, loc, ctx.tz) });
    el.status.classList.toggle('warn', isSilent(st.lastMs, Date.now()));
  }

  async function loadToday() {
    const now = Date.now();
    const from = startOfLocalDay(now, ctx.tz);
    const e = await ctx.api(`/api/v1/sensors/${st.sensor.id}/energy?${qs({ by: 'day', from, to: now })}`);
    el.todayKwh.textContent = formatKwh(e.total_wh, loc);
    const cost = await optional(`/api/v1/cost?${qs({ sensor: st.sensor.id, from, to: now, by: 'day' })}`);
    const eur = totalEuros(cost);
    el.todayEur.textContent = eur === null ? t('cost_today_unavailable') : formatEuro(eur, loc);
  }

  async function loadUsual() {
    const now = Date.now();
    const e = await ctx.api(`/api/v1/sensors/${st.sensor.id}/energy?${qs({ by: 'hour', from: now - 28 * 86400000, to: startOfLocalDay(now, ctx.tz) })}`);
    st.usual = usualPowerForHour(e.buckets, localParts(now, ctx.tz).hour);
    showPower();
  }

  async function loadMoney() {
    const tariff = await optional('/api/v1/tariff');
    st.price = currentPrice(tariff);
    showPower();
    const bill = await optional(`/api/v1/bill?${qs({ sensor: st.sensor.id })}`);
    const billEur = totalEuros(bill);
    el.bill.textContent = formatEuro(billEur, loc);
    el.billNote.textContent = billEur === null ? t('not_available_yet') : t('bill_so_far');
    const fc = await optional(`/api/v1/forecast?${qs({ sensor: st.sensor.id })}`);
    const kwh = fc?.month_end?.total_kwh ?? fc?.month_end?.total;
    el.forecast.textContent = typeof kwh === 'number' ? formatKwh(kwh * 1000, loc) : '—';
    el.forecastNote.textContent = typeof kwh === 'number' ? t('forecast_month_end') : t('not_available_yet');
  }

  const quiet = (p) => p.catch((e) => console.warn(e));

  async function start() {
    st.sensor = await pickSensor(ctx);
    if (!st.sensor) {
      el.status.textContent = t('no_sensor_yet');
      showPower();
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
        showPower();
        showStatus();
      },
      onState: (s) => { st.stream = s; showStatus(); },
    });
    live.open();
    timers.push(setInterval(showStatus, 5000));
    timers.push(setInterval(() => quiet(loadToday()), 60000));
    timers.push(setInterval(() => quiet(loadUsual()), 15 * 60000));
    await Promise.all([quiet(loadToday()), quiet(loadUsual()), quiet(loadMoney())]);
  }

  function cleanup() {
    live?.close();
    timers.forEach(clearInterval);
  }
  showPower();
  quiet(start());
  return cleanup;
}
