// Insights (docs/api.md "Insights") as sentences of our own catalogue: each alert, tip,
// challenge and badge comes with a stable kind/id and its numbers in `params`; this module picks
// the message key and formats the numbers in the reader's locale. The API's English `message`
// is shown only to an English reader, and only for a kind this UI does not know yet.
import { formatPower, formatKwh, formatEuro, formatDateTime, formatNumber, formatVolts, formatDay } from './format.js';
import { euros } from './money.js';

export const ALERT_KINDS = ['sensor_silent', 'battery_low', 'near_subscribed_power', 'unusual_night', 'target_at_risk'];
export const TIP_IDS = ['high_baseload', 'water_heater_peak', 'heating_offpeak', 'tempo_red_days', 'switch_option'];
export const CHALLENGE_KINDS = ['week_less_10', 'baseload_less_20w', 'peak_to_offpeak'];
export const BADGE_IDS = ['first_win', 'streak_3', 'streak_10', 'baseload_down_50w', 'month_under_target'];
const OPTIONS = ['base', 'hphc', 'tempo'];

const num = (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);

/** An amount of a target's unit: money object, decimal string or number; € or kWh. */
export function formatAmount(value, unit, loc) {
  const v = value && typeof value === 'object' ? euros(value) : num(value);
  return unit === 'kwh' ? formatKwh(typeof v === 'number' ? v * 1000 : null, loc) : formatEuro(v, loc);
}


/** {key, vars} of an alert's sentence. */
export function alertText(alert, loc, tz) {
  const p = alert?.params || {};
  switch (alert?.kind) {
    case 'sensor_silent':
      return { key: 'alert_sensor_silent', vars: { name: p.name ?? `#${p.sensor}`, since: formatDateTime(num(p.since_ms), loc, tz) } };
    case 'battery_low':
      return typeof num(p.supply_mv) === 'number'
        ? { key: 'alert_battery_low', vars: { name: p.name ?? `#${p.sensor}`, volts: formatVolts(num(p.supply_mv) / 1000, loc, 2) } }
        : { key: 'alert_battery_low_flag', vars: { name: p.name ?? `#${p.sensor}` } };
    case 'near_subscribed_power':
      return { key: 'alert_near_subscribed_power', vars: { power: formatPower(num(p.power_w), loc), limit: formatPower(num(p.limit_w), loc), kva: formatNumber(num(p.kva), loc) } };
    case 'unusual_night':
      return { key: 'alert_unusual_night', vars: { night: formatDay(p.night, loc, 'medium'), watts: formatPower(num(p.watts), loc), usual: formatPower(num(p.usual_w), loc) } };
    case 'target_at_risk':
      return { key: 'alert_target_at_risk', vars: { target: formatAmount(p.target, p.unit, loc), projection: formatAmount(p.projection, p.unit, loc) } };
    default:
      return unknown(alert?.kind, alert?.message);
  }
}

/** {key, vars} of a tip's sentence; `saving` is its yearly value. */
export function tipText(tip, loc) {
  const p = tip?.params || {};
  const saving = formatEuro(euros(tip?.saving_year), loc);
  const kwh = formatKwh(typeof tip?.saving_kwh_year === 'number' ? tip.saving_kwh_year * 1000 : null, loc);
  const base = { saving, kwh };
  switch (tip?.id) {
    case 'high_baseload':
    case 'water_heater_peak':
    case 'heating_offpeak':
    case 'tempo_red_days':
      return { key: `tip_${tip.id}`, vars: base };
    case 'switch_option':
      return {
        key: 'tip_switch_option',
        vars: { ...base, option: OPTIONS.includes(p.option) ? { key: `tariff_option_${p.option}` } : String(p.option ?? '?'),
          cost: formatAmount(p.cost, 'eur', loc), current: formatAmount(p.current_cost, 'eur', loc) },
      };
    default:
      return unknown(tip?.id, tip?.message);
  }
}

/** {key, vars} of this week's challenge. */
export function challengeText(ch, loc) {
  const p = ch?.params || {};
  const kwh = (v) => formatKwh(typeof v === 'number' ? v * 1000 : null, loc);
  if (!CHALLENGE_KINDS.includes(ch?.kind)) return unknown(ch?.kind, ch?.message);
  return {
    key: `challenge_${ch.kind}`,
    vars: { percent: formatNumber(num(p.percent ?? 10), loc), goal: kwh(ch.goal_kwh), usual: kwh(ch.usual_kwh) },
  };
}

/** {key, vars} of a past week's result. */
export function challengeResultText(h, loc) {
  const p = h?.params || {};
  const saved = typeof p.saved_kwh === 'number' ? formatKwh(p.saved_kwh * 1000, loc) : null;
  const money = p.saved ? formatEuro(euros(p.saved), loc) : null;
  if (h?.won && saved && money) return { key: 'challenge_won_saved', vars: { saved, money } };
  return { key: h?.won ? 'challenge_won' : 'challenge_lost', vars: {} };
}

export function badgeKey(id) {
  return BADGE_IDS.includes(id) ? `badge_${id}` : null;
}

function unknown(kind, message) {
  return { key: 'insight_unknown', vars: { kind: String(kind ?? '?') }, message: typeof message === 'string' ? message : null };
}

/** The sentence itself: the catalogue's, or the API's message for an English reader. */
export function render({ key, vars, message }, t, lang) {
  if (key === 'insight_unknown' && lang === 'en' && message) return message;
  const words = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v && typeof v === 'object' ? t(v.key) : v]));
  return t(key, words);
}

/** The short name of a challenge kind ("Une semaine à −10 %"), for the list of past weeks. */
export function challengeName(kind) {
  return CHALLENGE_KINDS.includes(kind) ? `challenge_name_${kind}` : 'challenge_name_other';
}
