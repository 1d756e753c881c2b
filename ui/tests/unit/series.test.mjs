// Chart columns: gaps stay gaps, no more than 2000 points are asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignSeries, energyColumns, overlayByIndex, pointsFor } from '../../js/series.js';

const T0 = Date.parse('2024-04-01T10:00:00Z');

test('a missing point and a null point both become null on the regular grid', () => {
  const points = [
    { t_ms: T0, value: 100 },
    { t_ms: T0 + 60000, value: null },
    // T0 + 120000 left out by the server
    { t_ms: T0 + 180000, value: 400 },
  ];
  const { xs, ys } = alignSeries(points, T0, T0 + 240000, 60);
  assert.deepEqual(xs, [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120, T0 / 1000 + 180]);
  assert.deepEqual(ys, [100, null, null, 400]);
});

test('energy buckets become kWh bars; an uncovered bucket is a gap, an estimated one is kept', () => {
  const { ys } = energyColumns([
    { start_ms: T0, energy_wh: 1500, coverage: 1 },
    { start_ms: T0 + 3600000, energy_wh: 0, coverage: 0, estimated: false },
    { start_ms: T0 + 7200000, energy_wh: 800, coverage: 0, estimated: true },
  ]);
  assert.deepEqual(ys, [1.5, null, 0.8]);
});

test('the previous period is laid under the current one point by point', () => {
  assert.deepEqual(overlayByIndex([1, 2, 3], [7, 8]), [7, 8, null]);
});

test('points asked for stay within 50..2000', () => {
  assert.equal(pointsFor(360), 180);
  assert.equal(pointsFor(10000), 2000);
  assert.equal(pointsFor(20), 50);
});
