// Insights (docs/api.md "Insights") as sentences of our own catalogue: each alert, tip,
// challenge and badge comes with a stable kind/id and its numbers in `params`; this module picks
// the message key and formats the numbers in the reader's locale. The API's English `message`
// is shown only to an English reader, and only for a kind this UI does not know yet.
import { formatPower, formatKwh, formatEuro, formatDateTime, formatNumber, formatVolts, formatDay, formatPercent } from './format.js';
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
  // The contract promises only the value; a sentence with more of the household's own numbers
  // is used when params carry them.
  switch (tip?.id) {
    case 'high_baseload':
      return typeof num(p.watts) === 'number'
        ? { key: 'tip_high_baseload_watts', vars: { ...base, watts: formatPower(num(p.watts), loc) } }
        : { key: 'tip_high_baseload', vars: base };
    case 'water_heater_peak':
      return /^\d\d:\d\d$/.test(p.start || '')
        ? { key: 'tip_water_heater_peak_at', vars: { ...base, start: p.start } }
        : { key: 'tip_water_heater_peak', vars: base };
    case 'tempo_red_days':
      return typeof num(p.red_days) === 'number' && p.red_cost
        ? { key: 'tip_tempo_red_days_cost', vars: { ...base, days: formatNumber(num(p.red_days), loc), cost: formatAmount(p.red_cost, 'eur', loc) } }
        : { key: 'tip_tempo_red_days', vars: base };
    case 'heating_offpeak':
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

const kwhOf = (v, loc) => formatKwh(typeof v === 'number' ? v * 1000 : null, loc);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** {key, vars} of this week's challenge, with its goal when params give it. */
export function challengeText(ch, loc) {
  const p = ch?.params || {};
  switch (ch?.kind) {
    case 'week_less_10':
      return { key: 'challenge_week_less_10', vars: { percent: formatNumber(num(p.percent ?? 10), loc), goal: kwhOf(ch.goal_kwh ?? p.goal_kwh, loc), usual: kwhOf(ch.usual_kwh ?? p.usual_kwh, loc) } };
    case 'baseload_less_20w':
      return isNum(p.goal_w)
        ? { key: 'challenge_baseload_less_20w_goal', vars: { goal: formatPower(p.goal_w, loc), usual: formatPower(num(p.usual_w), loc) } }
        : { key: 'challenge_baseload_less_20w', vars: {} };
    case 'peak_to_offpeak':
      return isNum(p.goal_share)
        ? { key: 'challenge_peak_to_offpeak_goal', vars: { goal: formatPercent(p.goal_share, loc), usual: formatPercent(num(p.usual_share), loc) } }
        : { key: 'challenge_peak_to_offpeak', vars: {} };
    default:
      return unknown(ch?.kind, ch?.message);
  }
}

/** Where this week stands ({key, vars}), and the share of the goal used for a bar (or null). */
export function challengeProgress(ch, loc) {
  const p = ch?.params || {};
  if (ch?.kind === 'week_less_10' && isNum(ch.goal_kwh) && isNum(ch.so_far_kwh)) {
    return {
      key: isNum(ch.projection_kwh) ? 'challenge_progress' : 'challenge_progress_so_far',
      vars: { so_far: kwhOf(ch.so_far_kwh, loc), goal: kwhOf(ch.goal_kwh, loc), projection: kwhOf(ch.projection_kwh, loc) },
      share: ch.goal_kwh > 0 ? ch.so_far_kwh / ch.goal_kwh : null,
    };
  }
  if (ch?.kind === 'baseload_less_20w' && isNum(p.so_far_w)) return { key: 'challenge_progress_w', vars: { so_far: formatPower(p.so_far_w, loc) }, share: null };
  if (ch?.kind === 'peak_to_offpeak' && isNum(p.so_far_share)) return { key: 'challenge_progress_share', vars: { so_far: formatPercent(p.so_far_share, loc) }, share: null };
  return null;
}

export const CHALLENGE_STATUSES = ['on_track', 'at_risk', 'lost', 'no_data'];

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
