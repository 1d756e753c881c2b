// The bill page's figures come straight from the API body (the docs/api.md example and more).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { billView } from '../../js/bill_view.js';

const money = (micros) => ({ micros, eur: micros / 1e6 });
const cents = (c) => ({ cents: c, eur: c / 100 });
const BILL = {
  sensor: 1, option: 'hphc', period_start: '2024-04-01T00:00:00+02:00', period_end: '2024-05-01T00:00:00+02:00',
  as_of: '2024-04-16T00:00:00.000Z',
  so_far: {
    energy_wh: 3600, energy_cost: money(858240), subscription: money(210000), total: cents(107), estimated: true, colour_assumed: false,
    periods: [{ period: 'hp', price_kwh: '0.27', energy_wh: 1800, cost: money(486000) },
      { period: 'hc', price_kwh: '0.2068', energy_wh: 1800, cost: money(372240) }],
  },
  projection: { total: cents(1351), low: cents(1200), high: cents(1500), days_observed: 14 },
  last_year: { energy_wh: 4000, total: cents(214) },
};

test('so far, its split by period and the subscription', () => {
  const v = billView(BILL);
  assert.equal(v.total, 1.07);
  assert.equal(v.energyCost, 0.85824);
  assert.equal(v.subscription, 0.21);
  assert.deepEqual(v.periods.map((p) => [p.period, p.energyWh, p.price, p.cost]), [['hp', 1800, 0.27, 0.486], ['hc', 1800, 0.2068, 0.37224]]);
  assert.equal(v.estimated, true);
  assert.equal(v.colourAssumed, false);
});

test('the period ends the day before the next period starts', () => {
  const v = billView(BILL);
  assert.equal(v.firstDay, '2024-04-01');
  assert.equal(v.lastDay, '2024-04-30');
  assert.equal(billView({ ...BILL, period_end: '2024-03-01T00:00:00+01:00' }).lastDay, '2024-02-29');
});

test('elapsed share across the period, clamped', () => {
  const v = billView(BILL);
  // 2024-04-01T00:00+02:00 = 03-31T22:00Z; as of 04-16T00:00Z: 15 d 2 h of 30 d.
  assert.ok(Math.abs(v.elapsed - (15 * 24 + 2) / (30 * 24)) < 1e-9);
  assert.equal(billView({ ...BILL, as_of: '2025-01-01T00:00:00Z' }).elapsed, 1);
});

test('projection with its interval, and last year with the change', () => {
  const v = billView(BILL);
  assert.deepEqual(v.projection, { total: 13.51, low: 12, high: 15, days: 14 });
  assert.deepEqual(v.lastYear, { total: 2.14, energyWh: 4000 });
  assert.ok(Math.abs(v.change - (1.07 - 2.14) / 2.14) < 1e-12);
  const none = billView({ ...BILL, last_year: null });
  assert.equal(none.lastYear, null);
  assert.equal(none.change, null);
});
