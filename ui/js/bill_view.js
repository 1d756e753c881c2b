// A GET /api/v1/bill body as what the bill page shows: so far, the projection and its interval,
// the split by tariff period, the subscription, and last year's same dates. Pure: unit-tested.
import { euros, price } from './money.js';
import { shiftDate } from './time.js';

const day = (localIso) => String(localIso || '').slice(0, 10);

export function billView(bill) {
  const so = bill.so_far || {};
  const start = Date.parse(bill.period_start), end = Date.parse(bill.period_end);
  const asOf = Date.parse(bill.as_of);
  const total = euros(so.total);
  const lastYear = bill.last_year ? {
    total: euros(bill.last_year.total),
    energyWh: bill.last_year.energy_wh,
  } : null;
  return {
    firstDay: day(bill.period_start),
    lastDay: shiftDate('day', day(bill.period_end), -1),  // period_end is the next period's midnight
    elapsed: end > start ? Math.min(1, Math.max(0, (asOf - start) / (end - start))) : null,
    asOf,
    total,
    energyWh: so.energy_wh,
    energyCost: euros(so.energy_cost),
    subscription: euros(so.subscription),
    periods: (so.periods || []).map((p) => ({
      period: p.period, energyWh: p.energy_wh, price: price(p.price_kwh), cost: euros(p.cost),
    })),
    projection: bill.projection ? {
      total: euros(bill.projection.total),
      low: euros(bill.projection.low),
      high: euros(bill.projection.high),
      days: bill.projection.days_observed,
    } : null,
    lastYear,
    change: lastYear && lastYear.total > 0 && typeof total === 'number' ? (total - lastYear.total) / lastYear.total : null,
    estimated: Boolean(so.estimated),
    colourAssumed: Boolean(so.colour_assumed),
  };
}
