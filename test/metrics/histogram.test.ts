import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketIndex, DEFAULT_BOUNDARIES } from '../../src/metrics/aggregations/histogram.js';
import { Temporality } from '../../src/metrics/metric-data.js';
import { histogramPoints, metric, setup } from './metric-helpers.js';

test('the default boundaries are the spec ones', () => {
  assert.deepEqual([...DEFAULT_BOUNDARIES], [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
});

test('a value exactly on a boundary falls into the bucket that boundary closes', () => {
  const bounds = [0, 5, 10];
  assert.equal(bucketIndex(bounds, 0), 0);
  assert.equal(bucketIndex(bounds, 0.1), 1);
  assert.equal(bucketIndex(bounds, 5), 1);
  assert.equal(bucketIndex(bounds, 5.0001), 2);
  assert.equal(bucketIndex(bounds, 10), 2);
  assert.equal(bucketIndex(bounds, 11), 3);
  const many = Array.from({ length: 40 }, (_, i) => i * 10);
  for (const v of [0, 1, 10, 15, 390, 391, 1e9]) {
    const linear = many.findIndex((b) => v <= b);
    assert.equal(bucketIndex(many, v), linear === -1 ? many.length : linear, `binary search for ${v}`);
  }
});

test('a histogram records count, sum, min, max and bucket counts with default bounds', async () => {
  const { provider, meter } = setup();
  const h = meter.createHistogram('latency', { unit: 'ms' });
  for (const v of [0, 5, 7, 10, 10000, 20000]) h.record(v, { route: '/x' });
  const rm = await provider.collect();
  const m = metric(rm, 'latency');
  assert.ok(m?.kind === 'histogram');
  assert.equal(m.temporality, Temporality.Cumulative);
  const [p] = histogramPoints(rm, 'latency');
  assert.equal(p!.count, 6);
  assert.equal(p!.sum, 30022);
  assert.equal(p!.min, 0);
  assert.equal(p!.max, 20000);
  assert.equal(p!.bucketCounts.length, 16);
  const expected = new Array(16).fill(0);
  expected[0] = 1; // 0
  expected[1] = 1; // 5
  expected[2] = 2; // 7, 10
  expected[14] = 1; // 10000
  expected[15] = 1; // 20000
  assert.deepEqual(p!.bucketCounts, expected);
});

test('explicitBucketBoundaries advice replaces the default bounds and invalid advice is ignored', async () => {
  const { provider, meter } = setup();
  const h = meter.createHistogram('custom', { advice: { explicitBucketBoundaries: [1, 2] } });
  h.record(1);
  h.record(1.5);
  h.record(3);
  const bad = meter.createHistogram('bad', { advice: { explicitBucketBoundaries: [5, 1] } });
  bad.record(1);
  const rm = await provider.collect();
  const [p] = histogramPoints(rm, 'custom');
  assert.deepEqual(p!.bounds, [1, 2]);
  assert.deepEqual(p!.bucketCounts, [1, 1, 1]);
  assert.deepEqual(histogramPoints(rm, 'bad')[0]!.bounds, [...DEFAULT_BOUNDARIES]);
});

test('a histogram ignores negative, NaN and infinite values', async () => {
  const { provider, meter } = setup();
  const h = meter.createHistogram('h');
  h.record(-1);
  h.record(NaN);
  h.record(Infinity);
  h.record(3);
  const [p] = histogramPoints(await provider.collect(), 'h');
  assert.equal(p!.count, 1);
  assert.equal(p!.sum, 3);
});

test('a delta histogram resets count, sum, min, max and buckets after each collection', async () => {
  const { provider, meter } = setup('delta');
  const h = meter.createHistogram('h', { advice: { explicitBucketBoundaries: [10] } });
  h.record(1);
  h.record(20);
  const first = histogramPoints(await provider.collect(), 'h')[0]!;
  assert.deepEqual([first.count, first.sum, first.min, first.max], [2, 21, 1, 20]);
  h.record(5);
  const second = histogramPoints(await provider.collect(), 'h')[0]!;
  assert.deepEqual([second.count, second.sum, second.min, second.max], [1, 5, 5, 5]);
  assert.deepEqual(second.bucketCounts, [1, 0]);
  assert.deepEqual(second.startTime, first.time);
  assert.equal(histogramPoints(await provider.collect(), 'h').length, 0);
});

test('a cumulative histogram accumulates across collections', async () => {
  const { provider, meter } = setup('cumulative');
  const h = meter.createHistogram('h', { advice: { explicitBucketBoundaries: [10] } });
  h.record(1);
  await provider.collect();
  h.record(20);
  const p = histogramPoints(await provider.collect(), 'h')[0]!;
  assert.deepEqual([p.count, p.sum, p.min, p.max], [2, 21, 1, 20]);
  assert.deepEqual(p.bucketCounts, [1, 1]);
});
