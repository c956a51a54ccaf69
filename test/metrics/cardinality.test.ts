import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CARDINALITY_LIMIT } from '../../src/metrics/attributes-key.js';
import { histogramPoints, numberPoints, setup } from './metric-helpers.js';

const OVERFLOW = { 'otel.metric.overflow': true };

test('the cardinality limit is 2000 attribute sets and the 2000th set is still kept on its own', async () => {
  assert.equal(CARDINALITY_LIMIT, 2000);
  const { provider, meter } = setup();
  const counter = meter.createCounter('c');
  for (let i = 0; i < 2000; i++) counter.add(1, { id: i });
  const points = numberPoints(await provider.collect(), 'c');
  assert.equal(points.length, 2000);
  assert.ok(points.every((p) => p.attributes['otel.metric.overflow'] === undefined));
});

test('new attribute sets beyond the limit go to one overflow point while known sets keep aggregating', async () => {
  const { provider, meter } = setup();
  const counter = meter.createCounter('c');
  for (let i = 0; i < 2005; i++) counter.add(1, { id: i });
  counter.add(10, { id: 0 });
  counter.add(3, { id: 'new' });
  const points = numberPoints(await provider.collect(), 'c');
  assert.equal(points.length, 2001);
  const overflow = points.find((p) => p.attributes['otel.metric.overflow'] === true)!;
  assert.deepEqual(overflow.attributes, OVERFLOW);
  assert.equal(overflow.value, 5 + 3);
  assert.equal(points.find((p) => p.attributes.id === 0)!.value, 11);
  const total = points.reduce((s, p) => s + p.value, 0);
  assert.equal(total, 2005 + 10 + 3, 'the total stays correct');
});

test('histograms overflow the same way', async () => {
  const { provider, meter } = setup();
  const h = meter.createHistogram('h');
  for (let i = 0; i < 2001; i++) h.record(1, { id: i });
  const points = histogramPoints(await provider.collect(), 'h');
  assert.equal(points.length, 2001);
  assert.equal(points.filter((p) => p.attributes['otel.metric.overflow'] === true)[0]!.count, 1);
});

test('a delta instrument forgets idle sets, so each collection cycle has its own limit', async () => {
  const { provider, meter } = setup('delta');
  const counter = meter.createCounter('c');
  for (let i = 0; i < 2000; i++) counter.add(1, { id: i });
  assert.equal(numberPoints(await provider.collect(), 'c').length, 2000);
  await provider.collect(); // every set idle: all evicted
  for (let i = 2000; i < 4000; i++) counter.add(1, { id: i });
  const points = numberPoints(await provider.collect(), 'c');
  assert.equal(points.length, 2000);
  assert.ok(points.every((p) => p.attributes['otel.metric.overflow'] === undefined));
});

test('attribute sets that overflowed get their own series once a delta collection frees room', async () => {
  const { provider, meter } = setup('delta');
  const counter = meter.createCounter('c');
  const reused = { id: 'late' };
  for (let i = 0; i < 2000; i++) counter.add(1, { id: i });
  counter.add(1, reused);
  counter.add(1, reused);
  counter.add(1);
  const first = numberPoints(await provider.collect(), 'c');
  assert.equal(first.find((p) => p.attributes['otel.metric.overflow'] === true)!.value, 3);
  counter.add(1, reused);
  counter.add(2);
  const second = numberPoints(await provider.collect(), 'c');
  assert.deepEqual(second.map((p) => [p.attributes, p.value]), [[{ id: 'late' }, 1], [{}, 2]]);
});
