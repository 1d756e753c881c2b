// The "Comprendre" figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whatAKwhGives, hoursPerKwh, yearOf, cheaperBy, HOURS_PER_YEAR } from '../../js/learn_facts.js';

test('what one kWh gives: hours at a power, or a number of uses', () => {
  const g = Object.fromEntries(whatAKwhGives().map((u) => [u.id, u.hours ?? u.times]));
  assert.equal(g.led, 100);
  assert.equal(g.oven, 0.5);
  assert.equal(g.kettle, 10);
  assert.ok(Math.abs(g.phone - 66.67) < 0.01);
});

test('hours to use one kWh at the power shown', () => {
  assert.equal(hoursPerKwh(500), 2);
  assert.equal(hoursPerKwh(0), null);
  assert.equal(hoursPerKwh(null), null);
});

test('a constant power over a year', () => {
  assert.equal(HOURS_PER_YEAR, 8766);
  const y = yearOf(10, 0.25);
  assert.ok(Math.abs(y.kwh - 87.66) < 1e-9);
  assert.ok(Math.abs(y.eur - 21.915) < 1e-9);
  assert.equal(yearOf(10, null).eur, null);
  assert.equal(yearOf(-1, 0.2), null);
});

test('how much cheaper one price is than another', () => {
  assert.ok(Math.abs(cheaperBy(0.2068, 0.27) - 0.234074) < 1e-6);
  assert.equal(cheaperBy(null, 0.27), null);
});
