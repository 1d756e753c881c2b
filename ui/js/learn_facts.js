// Figures for the "Comprendre" pages, from the household's own numbers. Appliance figures are
// round orders of magnitude (ADEME guides), said as "about" in the text.

/** The pages of "Comprendre", in order (#/learn?topic=standby). */
export const TOPICS = ['watts', 'kwh', 'standby', 'tariff', 'sensor'];

export const HOURS_PER_YEAR = 365.25 * 24;

// What one kWh gives: either hours of use at a power, or uses of a given energy.
export const KWH_USES = [
  { id: 'led', watts: 10 },      // a LED bulb
  { id: 'tv', watts: 100 },      // a television
  { id: 'oven', watts: 2000 },   // an electric oven heating
  { id: 'kettle', kwh: 0.1 },    // boiling a litre of water
  { id: 'wash', kwh: 0.9 },      // a 40 °C washing-machine cycle
  { id: 'phone', kwh: 0.015 },   // charging a phone
];

/** For each use: {id, hours} (so many hours on 1 kWh) or {id, times} (so many uses). */
export function whatAKwhGives() {
  return KWH_USES.map((u) => (u.watts ? { id: u.id, hours: 1000 / u.watts } : { id: u.id, times: 1 / u.kwh }));
}

/** How long the power shown now takes to use one kWh (hours), null for no power. */
export function hoursPerKwh(powerW) {
  return typeof powerW === 'number' && powerW > 0 ? 1000 / powerW : null;
}

/** A constant power over a year: {kwh, eur} (eur null without a price). */
export function yearOf(watts, eurPerKwh) {
  if (typeof watts !== 'number' || watts < 0) return null;
  const kwh = (watts * HOURS_PER_YEAR) / 1000;
  return { kwh, eur: typeof eurPerKwh === 'number' ? kwh * eurPerKwh : null };
}

/** Ratio of two prices as a percentage difference ("HC is 23 % cheaper"), or null. */
export function cheaperBy(cheap, dear) {
  return typeof cheap === 'number' && typeof dear === 'number' && dear > 0 ? 1 - cheap / dear : null;
}
