// "Usual" level for an hour of the day: the median power of the same local hour over the last
// weeks, from the energy API's hourly buckets (energy of one hour in Wh = its mean power in W).
// The median ignores the odd evening with guests; half-covered hours are left out.

const MIN_DAYS = 3;  // fewer same-hour samples than this: no "usual" to compare with

/** Local hour of a bucket from its local start time "2024-04-01T12:00:00+02:00". */
export function bucketLocalHour(bucket) {
  return Number(String(bucket.start).slice(11, 13));
}

export function median(values) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Usual mean power (W) of local hour `hour`, or null without enough history. */
export function usualPowerForHour(buckets, hour) {
  const values = buckets
    .filter((b) => bucketLocalHour(b) === hour && b.coverage >= 0.5 && typeof b.energy_wh === 'number')
    .map((b) => (b.energy_wh * 3600000) / (b.end_ms - b.start_ms));  // Wh over the hour → W
  return values.length >= MIN_DAYS ? median(values) : null;
}

/**
 * Compares a live power with the usual one: 'low' (below 75 %), 'usual' (up to 125 %),
 * 'high' (up to 200 %), 'very_high'; null when there is nothing to compare with.
 */
export function compareToUsual(powerW, usualW) {
  if (typeof powerW !== 'number' || typeof usualW !== 'number' || usualW <= 0) return null;
  const r = powerW / usualW;
  if (r < 0.75) return 'low';
  if (r <= 1.25) return 'usual';
  if (r <= 2) return 'high';
  return 'very_high';
}
