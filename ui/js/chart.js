// Charts with uPlot (vendored from npm by scripts/ui-setup.sh). Times are drawn in the
// household's zone; nulls are drawn as gaps; drag across the chart to zoom on a range.
import uPlot from '/vendor/uPlot.esm.js';

const COLORS = { current: '#1f6f54', previous: '#8a6d3b', band: 'rgba(79, 93, 98, 0.22)', bandEdge: '#4f5d62' };
const H = 3600, D = 86400;
// Tick spacing per period: hours on a day, days on a week or month, months on a year
// (uPlot reads 30 days as "one calendar month").
const INCRS = { day: [H, 2 * H, 3 * H, 4 * H, 6 * H, 12 * H], week: [D, 2 * D], month: [D, 2 * D, 7 * D, 14 * D], year: [30 * D, 60 * D, 90 * D, 180 * D] };

/**
 * Draws or redraws a chart in `el`.
 * spec: {xs, xMax (s), series: [{label, ys, previous}], bars, period, xLabel, fmtX(ms), fmtY(v), fmtAxis(v),
 *        height, onZoom, band}
 * band (the always-on power): {value} a level across the chart, or {ys} one level per bucket.
 */
export function drawChart(el, spec, tz) {
  el.replaceChildren();
  const width = Math.max(280, el.clientWidth || 600);
  const series = [{ label: spec.xLabel, value: (u, v) => (v == null ? '—' : spec.fmtX(v * 1000)) }];
  for (const s of spec.series) {
    const color = s.previous ? COLORS.previous : COLORS.current;
    series.push({
      label: s.label,
      stroke: color,
      width: s.previous ? 1.5 : 2,
      dash: s.previous ? [6, 4] : undefined,
      fill: spec.bars && !s.previous ? 'rgba(31,111,84,0.55)' : undefined,
      spanGaps: false,
      // A bucket covers [start, end): its bar starts at its x. The previous period is an outline.
      paths: spec.bars ? uPlot.paths.bars({ size: [0.85, 100], align: 1 }) : undefined,
      points: { show: false },
      value: (u, v) => (v == null ? '—' : spec.fmtY(v)),
    });
  }
  // The axis spans the whole period (to its end, not its last bucket's start) until a zoom.
  const x0 = spec.xs[0], x1 = spec.xMax ?? spec.xs[spec.xs.length - 1];
  const opts = {
    width,
    height: spec.height || 280,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
    cursor: { drag: { x: true, y: false, setScale: true } },
    scales: { x: { time: true }, y: { range: (u, min, max) => { const m = Math.max(max || 0, bandMax(spec.band)); return [0, m > 0 ? m * 1.1 : 1]; } } },
    axes: [
      { values: (u, splits) => splits.map((s) => spec.fmtX(s * 1000)), incrs: INCRS[spec.period], stroke: '#3b4a50', grid: { stroke: '#e3e7e3' } },
      { values: (u, splits) => splits.map((v) => spec.fmtAxis(v)), stroke: '#3b4a50', size: 84, grid: { stroke: '#e3e7e3' } },
    ],
    series,
    hooks: {
      drawAxes: [(u) => drawBand(u, spec.band, x1)],
      setScale: [(u, key) => { if (key === 'x' && spec.onZoom) spec.onZoom(u); }],
    },
  };
  const data = [spec.xs, ...spec.series.map((s) => s.ys)];
  const chart = new uPlot(opts, data, el);
  chart.setScale('x', { min: x0, max: x1 });
  const ro = new ResizeObserver(() => {
    const w = Math.max(280, el.clientWidth);
    if (Math.abs(w - chart.width) > 4) chart.setSize({ width: w, height: opts.height });
  });
  ro.observe(el);
  return {
    chart,
    resetZoom: () => chart.setScale('x', { min: x0, max: x1 }),
    destroy: () => { ro.disconnect(); chart.destroy(); },
  };
}

function bandMax(band) {
  if (!band) return 0;
  return band.ys ? Math.max(0, ...band.ys.filter(Number.isFinite)) : band.value;
}

// Under the series (drawAxes runs before them): a grey band from 0 up to the always-on level.
function drawBand(u, band, xEnd) {
  if (!band) return;
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const y0 = u.valToPos(0, 'y', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.fillStyle = COLORS.band;
  const xs = u.data[0];
  const spans = band.ys
    ? band.ys.map((v, i) => [xs[i], xs[i + 1] ?? xEnd, v])
    : [[u.scales.x.min, u.scales.x.max, band.value]];
  ctx.strokeStyle = COLORS.bandEdge;
  ctx.setLineDash([4, 3]);
  for (const [a, b, v] of spans) {
    if (!Number.isFinite(v)) continue;
    const xa = u.valToPos(a, 'x', true), xb = u.valToPos(b, 'x', true), y = u.valToPos(v, 'y', true);
    ctx.fillRect(xa, y, xb - xa, y0 - y);
    ctx.beginPath();
    ctx.moveTo(xa, y);
    ctx.lineTo(xb, y);
    ctx.stroke();  // its top edge, visible even when the band is thin
  }
  ctx.restore();
}
