// Numbers, money and dates in the reader's locale (Intl), times in the household's zone.
// Every function takes the locale explicitly so that it can be tested without a browser.

const DASH = '—';

function nf(locale, min, max, extra = {}) {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max, ...extra });
}

const ok = (v) => typeof v === 'number' && Number.isFinite(v);

export function formatNumber(v, locale, digits = 0) {
  return ok(v) ? nf(locale, digits, digits).format(v) : DASH;
}

/** Power: watts below 10 kW ("1 234 W"), then kilowatts with one decimal ("12,3 kW"). */
export function formatPower(w, locale, unit = 'W') {
  // A Linky meter gives apparent power: VA, never called W.
  const u = unit === 'VA' ? 'VA' : 'W';
  if (!ok(w)) return DASH;
  if (Math.abs(w) < 10000) return `${nf(locale, 0, 0).format(w)} ${u}`;
  return `${nf(locale, 1, 1).format(w / 1000)} k${u}`;
}

/** Energy in kWh: two decimals below 10 kWh, then one ("0,42 kWh", "1 234,5 kWh"). */
export function formatKwh(wh, locale) {
  if (!ok(wh)) return DASH;
  const kwh = wh / 1000;
  const digits = Math.abs(kwh) < 10 ? 2 : 1;
  return `${nf(locale, digits, digits).format(kwh)} kWh`;
}

/** Euros with cents ("12,40 €" in French, "€12.40" in English). */
export function formatEuro(eur, locale) {
  if (!ok(eur)) return DASH;
  return nf(locale, 2, 2, { style: 'currency', currency: 'EUR' }).format(eur);
}

/** A price per kWh with its four decimals ("0,2516 €/kWh"): prices are set to the 1/100 cent. */
export function formatPriceKwh(eurPerKwh, locale) {
  if (!ok(eurPerKwh)) return DASH;
  return `${nf(locale, 2, 4, { style: 'currency', currency: 'EUR' }).format(eurPerKwh)}/kWh`;
}

export function formatPercent(ratio, locale) {
  if (!ok(ratio)) return DASH;
  return nf(locale, 0, 1, { style: 'percent' }).format(ratio);
}

export function formatVolts(v, locale, digits = 1) {
  return ok(v) ? `${nf(locale, digits, digits).format(v)} V` : DASH;
}

/** "14:05" in the household's zone. */
export function formatClock(ms, locale, tz) {
  if (!ok(ms)) return DASH;
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(ms);
}

/** "3 décembre 2026" for an instant, in the household's zone. */
export function formatDate(ms, locale, tz) {
  if (!ok(ms)) return DASH;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: tz }).format(ms);
}

/** "3 déc. 2026, 14:05". */
export function formatDateTime(ms, locale, tz) {
  if (!ok(ms)) return DASH;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(ms);
}

/** A calendar date "2024-04-30" as "30 avril 2024" (a date, not an instant: no zone applies). */
export function formatDay(date, locale, style = 'long') {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  if (!m) return DASH;
  const out = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(Date.UTC(+m[1], m[2] - 1, +m[3]));
  return /^fr/.test(locale) && +m[3] === 1 ? out.replace(/^1(?=\s)/, '1er') : out;  // "1er décembre"
}

/** A duration in hours as "4 h 36 min" (or "45 min"). */
export function formatDuration(hours, locale) {
  if (!ok(hours) || hours < 0) return DASH;
  const total = Math.round(hours * 60);
  const h = Math.floor(total / 60), m = total % 60;
  if (!h) return `${nf(locale, 0, 0).format(m)} min`;
  return m ? `${nf(locale, 0, 0).format(h)} h ${String(m).padStart(2, '0')} min` : `${nf(locale, 0, 0).format(h)} h`;
}

/** A period's title: "mardi 3 décembre 2024", "semaine du 2 déc. 2024", "décembre 2024", "2024". */
export function formatPeriod(kind, fromMs, locale, tz, weekWord) {
  const f = (o) => new Intl.DateTimeFormat(locale, { timeZone: tz, ...o }).format(fromMs);
  if (kind === 'day') return f({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (kind === 'week') return weekWord.replace('{date}', f({ day: 'numeric', month: 'short', year: 'numeric' }));
  if (kind === 'month') return f({ month: 'long', year: 'numeric' });
  return f({ year: 'numeric' });
}

/** Tick label for a chart axis at instant ms, suited to the period shown. */
export function formatTick(kind, ms, locale, tz) {
  const o = { day: { hour: '2-digit', minute: '2-digit' }, week: { weekday: 'short', day: 'numeric' },
    month: { day: 'numeric' }, year: { month: 'short' } }[kind] || { hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, { timeZone: tz, ...o }).format(ms);
}
