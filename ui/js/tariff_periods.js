// Tariff period names of the API ("base", "hp", "hc", "tempo_red_hp", a grid's own names) as
// what the page shows: a catalogue key, the Tempo colour, whether it is an off-peak period.
// Colour is never shown alone: the words say it too.

const TEMPO = /^tempo_(blue|white|red)_(hp|hc)$/;

/** {key, colour: 'blue'|'white'|'red'|null, offpeak: bool, custom: name|null} of a period. */
export function describePeriod(name) {
  const m = TEMPO.exec(name || '');
  if (m) return { key: `period_tempo_${m[2]}`, colour: m[1], offpeak: m[2] === 'hc', custom: null };
  if (name === 'base' || name === 'hp' || name === 'hc') {
    return { key: `period_${name}`, colour: null, offpeak: name === 'hc', custom: null };
  }
  return { key: null, colour: null, offpeak: false, custom: String(name ?? '') };
}

/** The period in words: "Heures creuses", "Jour bleu, heures pleines", or a grid's own name. */
export function periodLabel(name, t) {
  const d = describePeriod(name);
  if (d.custom !== null) return d.custom;
  if (d.colour) return t('period_tempo', { colour: t(`tempo_${d.colour}`), hours: t(d.key) });
  return t(d.key);
}

/**
 * The next change of price after the current one, from GET /tariff/now `upcoming`: the first
 * segment whose period differs from the current one, or null (Base: no change all day).
 */
export function nextChange(now) {
  const list = now?.upcoming || [];
  const cur = list[0]?.period;
  return list.find((s) => s.period !== cur) || null;
}

/**
 * Off-peak windows as the tariff form edits them: "22:00-06:00" → {start, end}. Keeps at most
 * `max`; anything malformed is left out.
 */
export function parseWindows(list, max = 2) {
  const out = [];
  for (const w of list || []) {
    const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(w);
    if (m && out.length < max) out.push({ start: m[1], end: m[2] });
  }
  return out;
}

/** Minutes of the local day covered by the windows (a window may cross midnight). */
export function offpeakMinutes(windows) {
  const min = (s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return windows.reduce((sum, w) => {
    const a = min(w.start), b = min(w.end);
    return sum + (b > a ? b - a : 1440 - a + b);
  }, 0);
}

/** The PUT /tariff body from the form's values. */
export function tariffBody({ option, kva, billingDay, windows }) {
  const body = { option, kva: Number(kva), billing_day: Number(billingDay) };
  if (option === 'hphc') body.offpeak = windows.filter((w) => w.start && w.end).map((w) => `${w.start}-${w.end}`);
  return body;
}
