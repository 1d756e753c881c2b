// Money as the API gives it ({micros, eur} or {cents, eur}: docs/api.md "Tariff, cost and bill")
// and what a power costs if it stayed so. Display values only: the bill is the server's.

export const HOURS_PER_MONTH = (365.25 * 24) / 12;  // 730.5: an average month

/** € of a money object: exact from its integer micros or cents, else its eur; null if absent. */
export function euros(m) {
  if (!m || typeof m !== 'object') return null;
  if (Number.isInteger(m.micros)) return m.micros / 1e6;
  if (Number.isInteger(m.cents)) return m.cents / 100;
  return typeof m.eur === 'number' && Number.isFinite(m.eur) ? m.eur : null;
}

/** A decimal price string of the API ("0.2516") as a number of €, or null. */
export function price(text) {
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/** €/hour at a constant power (W) and price (€/kWh). */
export function costPerHour(powerW, eurPerKwh) {
  if (typeof powerW !== 'number' || typeof eurPerKwh !== 'number') return null;
  return (powerW / 1000) * eurPerKwh;
}

/** €/month if the power stayed the same for an average month. */
export function costPerMonth(powerW, eurPerKwh) {
  const h = costPerHour(powerW, eurPerKwh);
  return h === null ? null : h * HOURS_PER_MONTH;
}

/** Cost columns for a chart from GET /cost buckets: xs (s) and € (null where nothing covered). */
export function costColumns(buckets) {
  const xs = [], ys = [];
  for (const b of buckets || []) {
    xs.push(b.start_ms / 1000);
    const empty = !b.estimated && (b.coverage ?? 1) === 0;
    ys.push(empty ? null : euros(b.energy_cost));
  }
  return { xs, ys };
}

/**
 * An amount typed by a person ("45", "45,5", "45.50 €", "1 234,5") as the API's decimal string
 * with two decimals ("45.50"), or null when it is not a positive amount.
 */
export function parseAmount(text) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  const out = `${Number(whole)}.${frac.padEnd(2, '0')}`;
  return Number(out) > 0 ? out : null;
}
