// Calendar arithmetic in the household's time zone (not the browser's): local days, weeks,
// months and years as [from, to) instants in epoch ms. A DST day lasts 23 or 25 hours; days are
// handled as calendar dates ('YYYY-MM-DD') so that shifting never drifts by an hour.

const formatters = new Map();

function partsFormatter(tz) {
  if (!formatters.has(tz)) {
    formatters.set(tz, new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    }));
  }
  return formatters.get(tz);
}

/** Wall-clock fields of an instant in a zone: {year, month (1-12), day, hour, minute, second}. */
export function localParts(ms, tz) {
  const out = {};
  for (const p of partsFormatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  out.hour %= 24;
  return out;
}

/** The zone's offset from UTC at an instant, in ms (Paris in summer: +7 200 000). */
export function zoneOffsetMs(ms, tz) {
  const p = localParts(ms, tz);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `tz` shows y-m-d h:mi. An ambiguous time (the repeated
 * hour in autumn) gives the earlier instant; a time skipped in spring gives the instant after
 * the gap.
 */
export function zonedTime(y, m, d, h = 0, mi = 0, tz) {
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const offsets = [zoneOffsetMs(wall - 86400000, tz), zoneOffsetMs(wall + 86400000, tz)];
  const matches = offsets
    .map((off) => wall - off)
    .filter((t) => {
      const p = localParts(t, tz);
      return p.year === y && p.month === m && p.day === d && p.hour === h && p.minute === mi;
    });
  if (matches.length) return Math.min(...matches);
  return wall - offsets[0];  // in the spring gap: the old offset lands just after it
}

export function parseDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

export function formatDate({ y, m, d }) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** The household's calendar date ('YYYY-MM-DD') at an instant. */
export function localDate(ms, tz) {
  const p = localParts(ms, tz);
  return formatDate({ y: p.year, m: p.month, d: p.day });
}

function addDays({ y, m, d }, n) {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function addMonths({ y, m, d }, n) {
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const ny = first.getUTCFullYear(), nm = first.getUTCMonth() + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return { y: ny, m: nm, d: Math.min(d, last) };
}

export const PERIODS = ['day', 'week', 'month', 'year'];

/** First calendar date of the period holding `date`; weeks start on Monday (ISO 8601). */
function periodStart(kind, date) {
  if (kind === 'day') return date;
  if (kind === 'week') {
    const wd = (new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay() + 6) % 7;
    return addDays(date, -wd);
  }
  if (kind === 'month') return { y: date.y, m: date.m, d: 1 };
  if (kind === 'year') return { y: date.y, m: 1, d: 1 };
  throw new Error(`unknown period ${kind}`);
}

/** Moves a date by n periods ('2024-01-31' + 1 month = '2024-02-29'). */
export function shiftDate(kind, dateStr, n) {
  const date = parseDate(dateStr);
  if (!date) throw new Error(`bad date ${dateStr}`);
  if (kind === 'day') return formatDate(addDays(date, n));
  if (kind === 'week') return formatDate(addDays(date, 7 * n));
  if (kind === 'month') return formatDate(addMonths(date, n));
  if (kind === 'year') return formatDate(addMonths(date, 12 * n));
  throw new Error(`unknown period ${kind}`);
}

/** The period holding `dateStr` as {from, to} instants (ms) and its first date. */
export function periodRange(kind, dateStr, tz) {
  const date = parseDate(dateStr);
  if (!date) throw new Error(`bad date ${dateStr}`);
  const start = periodStart(kind, date);
  const next = parseDate(shiftDate(kind, formatDate(start), 1));
  return {
    kind,
    start: formatDate(start),
    from: zonedTime(start.y, start.m, start.d, 0, 0, tz),
    to: zonedTime(next.y, next.m, next.d, 0, 0, tz),
  };
}

/** Local midnight that began the household's current day. */
export function startOfLocalDay(ms, tz) {
  const p = localParts(ms, tz);
  return zonedTime(p.year, p.month, p.day, 0, 0, tz);
}

/** The bucket size the energy API should use to draw a period as bars. */
export function energyGrain(kind) {
  return { day: 'hour', week: 'day', month: 'day', year: 'month' }[kind];
}
