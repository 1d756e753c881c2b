// What a power costs if it stayed so, from a price per kWh. The price comes from the tariff API
// when it exists; this module only multiplies (display values, never a bill).

export const HOURS_PER_MONTH = (365.25 * 24) / 12;  // 730.5: an average month

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

/**
 * The price per kWh now, in €, from a GET /api/v1/tariff body, or null when it gives none.
 * The tariff API is being written at the same time as this UI: accept the likely spellings
 * (a `price_now` in €/kWh or µ€/kWh) and say nothing rather than guess wrong.
 */
export function currentPrice(tariff) {
  if (!tariff || typeof tariff !== 'object') return null;
  const candidates = [
    [tariff.price_now_eur_per_kwh, 1],
    [tariff.current_price_eur_per_kwh, 1],
    [tariff.price_eur_per_kwh, 1],
    [tariff.price_now?.eur_per_kwh, 1],
    [tariff.price_now_ueur_per_kwh, 1e-6],
    [tariff.price_now?.ueur_per_kwh, 1e-6],
  ];
  for (const [v, scale] of candidates) {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n * scale;
  }
  return null;
}

/** A total in € from a cost/bill body (total_eur, or total_ueur in µ€), or null. */
export function totalEuros(body) {
  if (!body || typeof body !== 'object') return null;
  const v = body.total_eur ?? body.total?.eur ?? body.cost_eur;
  if (typeof v === 'number') return v;
  const u = body.total_ueur ?? body.total?.ueur ?? body.cost_ueur;
  return typeof u === 'number' ? u / 1e6 : null;
}

/** € of one cost bucket (cost_eur, eur, or cost_ueur in µ€), or null. */
export function bucketEuros(b) {
  if (!b) return null;
  const v = b.cost_eur ?? b.eur ?? b.total_eur;
  if (typeof v === 'number') return v;
  const u = b.cost_ueur ?? b.ueur ?? b.total_ueur;
  return typeof u === 'number' ? u / 1e6 : null;
}
