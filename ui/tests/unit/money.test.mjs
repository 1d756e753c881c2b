// Money as the API gives it, costs at a rate, and amounts typed by a person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { euros, price, costPerHour, costPerMonth, costColumns, parseAmount } from '../../js/money.js';

test('euros come exact from integer micros or cents, else from eur', () => {
  assert.equal(euros({ micros: 905760, eur: 0.90576 }), 0.90576);
  assert.equal(euros({ cents: 1351, eur: 13.51 }), 13.51);
  assert.equal(euros({ eur: 2.9 }), 2.9);
  assert.equal(euros({ micros: 1.5 }), null, 'micros must be an integer');
  assert.equal(euros(null), null);
  assert.equal(euros(3), null);
});

test('prices are decimal strings of the API', () => {
  assert.equal(price('0.2516'), 0.2516);
  assert.equal(price('12'), 12);
  assert.equal(price('-0.1'), null);
  assert.equal(price('0,25'), null);
  assert.equal(price(0.25), null, 'a JSON number is not an API price');
});

test('cost at a constant power', () => {
  assert.equal(costPerHour(2000, 0.25), 0.5);  // 2 kW × 0.25 €/kWh
  assert.equal(costPerMonth(1000, 0.2), 146.1);  // 1 kW × 730.5 h × 0.2 €/kWh
  assert.equal(costPerHour(1000, null), null);
  assert.equal(costPerMonth(null, 0.2), null);
});

test('cost buckets become chart columns; an uncovered bucket is a gap, an estimated one is not', () => {
  const b = (start, micros, coverage, estimated = false) => ({ start_ms: start, energy_cost: { micros, eur: micros / 1e6 }, coverage, estimated });
  const { xs, ys } = costColumns([b(3600000, 250000, 1), b(7200000, 0, 0), b(10800000, 120000, 0, true)]);
  assert.deepEqual(xs, [3600, 7200, 10800]);
  assert.deepEqual(ys, [0.25, null, 0.12]);
});

test('typed amounts: French commas, spaces and € are accepted; zero and junk are not', () => {
  assert.equal(parseAmount('45'), '45.00');
  assert.equal(parseAmount('45,5'), '45.50');
  assert.equal(parseAmount(' 1 234,56 € '), '1234.56');
  assert.equal(parseAmount('45.50'), '45.50');
  assert.equal(parseAmount('007'), '7.00');
  assert.equal(parseAmount('0'), null);
  assert.equal(parseAmount('-3'), null);
  assert.equal(parseAmount('4,555'), null, 'at most cents');
  assert.equal(parseAmount('abc'), null);
  assert.equal(parseAmount(''), null);
});
