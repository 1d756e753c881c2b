// Turns API answers into chart columns. A gap stays a gap: a point the server marks empty
// (null value) or leaves out altogether becomes null, which uPlot draws as a break.

/**
 * Columns for uPlot from /series points: xs in seconds on the regular grid from `fromMs`
 * every `stepS` up to `toMs`, ys the values (null where no sample covered the point).
 */
export function alignSeries(points, fromMs, toMs, stepS) {
  const stepMs = stepS * 1000;
  const n = Math.max(0, Math.ceil((toMs - fromMs) / stepMs));
  const xs = new Array(n), ys = new Array(n).fill(null);
  for (let i = 0; i < n; i++) xs[i] = (fromMs + i * stepMs) / 1000;
  for (const p of points || []) {
    const i = Math.round((p.t_ms - fromMs) / stepMs);
    if (i >= 0 && i < n && typeof p.value === 'number') ys[i] = p.value;
  }
  return { xs, ys };
}

/** Energy buckets as bars: xs (s), kWh (null where the bucket has no coverage at all). */
export function energyColumns(buckets) {
  const xs = [], ys = [];
  for (const b of buckets || []) {
    xs.push(b.start_ms / 1000);
    const empty = !b.estimated && (b.coverage ?? 1) === 0;
    ys.push(empty || typeof b.energy_wh !== 'number' ? null : b.energy_wh / 1000);
  }
  return { xs, ys };
}

/** Puts the previous period's ys under the current xs, point by point (index alignment). */
export function overlayByIndex(currentXs, previousYs) {
  return currentXs.map((_, i) => (i < previousYs.length ? previousYs[i] : null));
}

/** Points to ask for: about one per 2 CSS pixels, never above the 2000 the UI allows itself. */
export function pointsFor(widthPx) {
  return Math.max(50, Math.min(2000, Math.round(widthPx / 2)));
}
