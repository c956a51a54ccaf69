import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { Temporality } from '../../src/metrics/metric-data.js';
import { compareHr } from '../../src/core/time.js';
import { byAttr, metric, numberPoints, setup } from './metric-helpers.js';

test('a cumulative counter keeps its running total and start time across collections', async () => {
  const { provider, meter } = setup('cumulative');
  const counter = meter.createCounter('requests', { unit: '1', description: 'reqs' });
  counter.add(2, { route: '/a' });
  counter.add(3, { route: '/a' });
  counter.add(1, { route: '/b' });
  const first = await provider.collect();
  const m = metric(first, 'requests');
  assert.equal(m?.kind, 'sum');
  if (m?.kind !== 'sum') return;
  assert.equal(m.temporality, Temporality.Cumulative);
  assert.equal(m.isMonotonic, true);
  assert.equal(m.unit, '1');
  assert.equal(m.description, 'reqs');
  assert.deepEqual(byAttr(numberPoints(first, 'requests'), 'route'), { '/a': 5, '/b': 1 });
  counter.add(4, { route: '/a' });
  const second = await provider.collect();
  const points = numberPoints(second, 'requests');
  assert.deepEqual(byAttr(points, 'route'), { '/a': 9, '/b': 1 }, 'untouched cumulative series keep reporting');
  const a1 = numberPoints(first, 'requests').find((p) => p.attributes.route === '/a')!;
  const a2 = points.find((p) => p.attributes.route === '/a')!;
  assert.deepEqual(a2.startTime, a1.startTime);
  assert.ok(compareHr(a2.time, a1.time) >= 0);
});

test('a delta counter reports only the change since the previous collection and skips idle series', async () => {
  const { provider, meter } = setup('delta');
  const counter = meter.createCounter('requests');
  counter.add(2, { route: '/a' });
  counter.add(1, { route: '/b' });
  const first = await provider.collect();
  assert.equal((metric(first, 'requests') as { temporality: Temporality }).temporality, Temporality.Delta);
  assert.deepEqual(byAttr(numberPoints(first, 'requests'), 'route'), { '/a': 2, '/b': 1 });
  counter.add(5, { route: '/a' });
  const second = await provider.collect();
  const points = numberPoints(second, 'requests');
  assert.deepEqual(byAttr(points, 'route'), { '/a': 5 });
  assert.deepEqual(points[0]!.startTime, numberPoints(first, 'requests')[0]!.time, 'delta start = previous collection time');
  const third = await provider.collect();
  assert.equal(metric(third, 'requests'), undefined, 'no points, no metric');
});

test('an up-down counter accepts negative values and stays cumulative under the delta preference', async () => {
  const { provider, meter } = setup('delta');
  const updown = meter.createUpDownCounter('active');
  updown.add(5);
  updown.add(-2);
  const rm = await provider.collect();
  const m = metric(rm, 'active');
  assert.ok(m?.kind === 'sum');
  assert.equal(m.isMonotonic, false);
  assert.equal(m.temporality, Temporality.Cumulative);
  assert.equal(m.points[0]!.value, 3);
  assert.deepEqual(m.points[0]!.attributes, {});
});

test('a counter ignores negative, NaN and infinite values', async () => {
  const { provider, meter } = setup();
  const counter = meter.createCounter('c');
  counter.add(-1);
  counter.add(NaN);
  counter.add(Infinity);
  counter.add(2);
  const rm = await provider.collect();
  assert.equal(numberPoints(rm, 'c')[0]!.value, 2);
});

test('integer instruments truncate values and report valueType int', async () => {
  const { provider, meter } = setup();
  const counter = meter.createCounter('ints', { valueType: ValueType.INT });
  counter.add(1.9);
  counter.add(2.2);
  const rm = await provider.collect();
  const m = metric(rm, 'ints')!;
  assert.equal(m.valueType, 'int');
  assert.equal(numberPoints(rm, 'ints')[0]!.value, 3);
  assert.equal(metric(rm, 'ints')!.valueType, 'int');
  meter.createCounter('doubles').add(1.5);
  assert.equal(metric(await provider.collect(), 'doubles')!.valueType, 'double');
});

test('measurements after shutdown of the provider are ignored', async () => {
  const { provider, meter } = setup();
  const counter = meter.createCounter('c');
  counter.add(1);
  provider.stop();
  counter.add(10);
  assert.equal(numberPoints(await provider.collect(), 'c')[0]!.value, 1);
  assert.equal(provider.hasPending(), false);
});
