// "Comprendre": five short pages tied to the household's own numbers: watts and kWh, what a
// kWh costs and gives, why standby matters, how their tariff periods work, how the sensor works
// and what stays at home. #/learn?topic=standby opens on one of them.
import { h } from '../dom.js';
import { qs } from '../api.js';
import { formatPower, formatKwh, formatEuro, formatNumber, formatPriceKwh, formatPercent, formatDateTime, formatDuration } from '../format.js';
import { startOfLocalDay } from '../time.js';
import { euros, price } from '../money.js';
import { whatAKwhGives, hoursPerKwh, yearOf, cheaperBy, TOPICS } from '../learn_facts.js';
import { periodLabel, parseWindows } from '../tariff_periods.js';
import { pickSensor } from './sensor_pick.js';

export function mount(main, ctx, params) {
  const { t } = ctx;
  const sections = Object.fromEntries(TOPICS.map((k) => [k, h('section', { class: 'card learn', id: `learn-${k}`, 'aria-labelledby': `learn-${k}-title` },
    h('h2', { id: `learn-${k}-title`, tabindex: '-1' }, t(`learn_${k}_title`)), h('p', { class: 'muted' }, t('loading')))]));
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('learn_title'))),
    h('p', {}, t('learn_intro')),
    h('nav', { class: 'toc', 'aria-label': t('learn_topics') }, h('ul', {}, TOPICS.map((k) => h('li', {},
      h('a', { href: `#/learn?topic=${k}`, onclick: (e) => { e.preventDefault(); show(sections[k]); } }, t(`learn_${k}_title`)))))),
    ...TOPICS.map((k) => sections[k]));
  const topic = params?.get('topic');
  load(ctx, sections).then(() => { if (TOPICS.includes(topic)) show(sections[topic]); })
    .catch((e) => sections.watts.append(h('p', { role: 'alert' }, t('error_generic', { message: e.message }))));
}

function show(section) {
  section.scrollIntoView({ block: 'start' });
  section.querySelector('h2').focus({ preventScroll: true });
}

async function load(ctx, s) {
  const sensor = await pickSensor(ctx);
  const now = Date.now();
  const [tariff, tnow, health, today, baseload] = await Promise.all([
    ctx.api('/api/v1/tariff'), ctx.api('/api/v1/tariff/now'), ctx.api('/api/v1/health'),
    sensor ? ctx.api(`/api/v1/sensors/${sensor.id}/energy?${qs({ by: 'day', from: startOfLocalDay(now, ctx.tz), to: now })}`) : null,
    sensor ? ctx.api(`/api/v1/baseload?${qs({ sensor: sensor.id })}`).catch(() => null) : null,  // the rest stands without it
  ]);
  const d = { sensor, tariff, tnow, health, today, baseload, price: price(tnow.price_kwh) };
  const fill = (k, ...children) => s[k].replaceChildren(s[k].querySelector('h2'), ...children.flat().filter(Boolean));
  fill('watts', watts(ctx, d));
  fill('kwh', kwh(ctx, d));
  fill('standby', standby(ctx, d));
  fill('tariff', tariffPeriods(ctx, d));
  fill('sensor', sensorAndData(ctx, d));
}

const p = (text, attrs = {}) => h('p', attrs, text);

function watts(ctx, d) {
  const { t } = ctx;
  const loc = ctx.locale();
  const power = d.sensor?.last_power_w;
  const hours = hoursPerKwh(power);
  return [
    p(t('learn_watts_1')),
    p(t('learn_watts_2')),
    typeof power === 'number' && p(t('learn_watts_yours', { power: formatPower(power, loc), today: formatKwh(d.today?.total_wh, loc) }), { class: 'yours', id: 'learn-watts-yours' }),
    hours !== null && p(t('learn_watts_hours', { power: formatPower(power, loc), duration: formatDuration(hours, loc) })),
  ];
}

function kwh(ctx, d) {
  const { t } = ctx;
  const loc = ctx.locale();
  const uses = whatAKwhGives();
  return [
    p(t('learn_kwh_price', { price: formatPriceKwh(d.price, loc), period: periodLabel(d.tnow.period, t) }), { class: 'yours', id: 'learn-kwh-price' }),
    p(t('learn_kwh_gives')),
    h('ul', { class: 'uses' }, uses.map((u) => h('li', {}, t(`learn_use_${u.id}`, {
      hours: formatNumber(u.hours, loc, 0), minutes: formatNumber(u.hours * 60, loc, 0), times: formatNumber(u.times, loc, 0) })))),
    p(t('learn_kwh_about'), { class: 'muted small' }),
  ];
}

function standby(ctx, d) {
  const { t } = ctx;
  const loc = ctx.locale();
  const ten = yearOf(10, d.price);
  const b = d.baseload;
  return [
    p(t('learn_standby_1')),
    p(t('learn_standby_ten', { energy: formatKwh(ten.kwh * 1000, loc), cost: formatEuro(ten.eur, loc) })),
    b && typeof b.watts === 'number'
      ? p(t('learn_standby_yours', { watts: formatPower(b.watts, loc), cost: formatEuro(euros(b.yearly_cost), loc) }), { class: 'yours', id: 'learn-standby-yours' })
      : p(t('learn_standby_unknown'), { class: 'muted' }),
    p(t('learn_standby_how')),
  ];
}

function tariffPeriods(ctx, d) {
  const { t } = ctx;
  const loc = ctx.locale();
  const kwhPrices = d.tariff.current?.kwh || {};
  const out = [p(t(`learn_tariff_${['base', 'hphc', 'tempo'].includes(d.tariff.option) ? d.tariff.option : 'grid'}`, { kva: d.tariff.kva }), { class: 'yours', id: 'learn-tariff-yours' })];
  if (d.tariff.option === 'hphc') {
    const w = parseWindows(d.tariff.offpeak, 3).map((x) => t('window', { start: x.start, end: x.end })).join(', ');
    out.push(p(t('learn_tariff_hphc_windows', { windows: w })));
    const saving = cheaperBy(price(kwhPrices.hc), price(kwhPrices.hp));
    if (saving !== null) out.push(p(t('learn_tariff_hphc_saving', { hc: formatPriceKwh(price(kwhPrices.hc), loc), hp: formatPriceKwh(price(kwhPrices.hp), loc), share: formatPercent(saving, loc) })));
  }
  if (d.tariff.option === 'tempo') out.push(p(t('learn_tariff_tempo_days')));
  out.push(h('table', { class: 'prices' }, h('caption', {}, t('learn_tariff_prices')),
    h('tbody', {}, Object.entries(kwhPrices).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, periodLabel(k, t)), h('td', { class: 'num' }, formatPriceKwh(price(v), loc)))))));
  out.push(p(t('learn_tariff_now', { period: periodLabel(d.tnow.period, t) })));
  return out;
}

function sensorAndData(ctx, d) {
  const { t } = ctx;
  const loc = ctx.locale();
  const oldest = d.health.store?.oldest_raw;
  return [
    p(t('learn_sensor_1')),
    p(t('learn_sensor_2')),
    p(t('learn_sensor_home')),
    oldest && p(t('learn_sensor_since', { when: formatDateTime(Date.parse(oldest), loc, ctx.tz) }), { class: 'yours' }),
    p(t('learn_sensor_share')),
  ];
}
