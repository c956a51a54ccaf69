import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObservableResult } from '@opentelemetry/api';
import { Temporality } from '../../src/metrics/metric-data.js';
import { byAttr, metric, numberPoints, setup } from './metric-helpers.js';

test('observable callbacks run at each collection and their values are reported', async () => {
  const { provider, meter } = setup();
  let heap = 10;
  const gauge = meter.createObservableGauge('heap');
  gauge.addCallback((r) => r.observe(heap, { space: 'new' }));
  const first = await provider.collect();
  assert.equal(metric(first, 'heap')?.kind, 'gauge');
  assert.deepEqual(byAttr(numberPoints(first, 'heap'), 'space'), { new: 10 });
  heap = 12;
  assert.deepEqual(byAttr(numberPoints(await provider.collect(), 'heap'), 'space'), { new: 12 });
});

test('a series an observable callback stops reporting disappears from the output', async () => {
  const { provider, meter } = setup();
  let report = true;
  meter.createObservableUpDownCounter('conns').addCallback((r) => {
    r.observe(1, { pool: 'a' });
    if (report) r.observe(2, { pool: 'b' });
  });
  assert.deepEqual(byAttr(numberPoints(await provider.collect(), 'conns'), 'pool'), { a: 1, b: 2 });
  report = false;
  assert.deepEqual(byAttr(numberPoints(await provider.collect(), 'conns'), 'pool'), { a: 1 });
});

test('an observable counter reports the callback value as is when cumulative', async () => {
  const { provider, meter } = setup('cumulative');
  let total = 5;
  meter.createObservableCounter('cpu').addCallback((r) => r.observe(total));
  const first = await provider.collect();
  total = 8;
  const second = await provider.collect();
  const m = metric(second, 'cpu');
  assert.ok(m?.kind === 'sum');
  assert.equal(m.temporality, Temporality.Cumulative);
  assert.equal(m.isMonotonic, true);
  assert.equal(m.points[0]!.value, 8);
  assert.deepEqual(m.points[0]!.startTime, numberPoints(first, 'cpu')[0]!.startTime);
});

test('an observable counter under the delta preference reports differences between callback totals', async () => {
  const { provider, meter } = setup('delta');
  let total = 5;
  meter.createObservableCounter('cpu').addCallback((r) => r.observe(total));
  const first = await provider.collect();
  assert.equal(numberPoints(first, 'cpu')[0]!.value, 5);
  total = 8;
  const second = await provider.collect();
  assert.equal((metric(second, 'cpu') as { temporality: Temporality }).temporality, Temporality.Delta);
  assert.equal(numberPoints(second, 'cpu')[0]!.value, 3);
  assert.deepEqual(numberPoints(second, 'cpu')[0]!.startTime, numberPoints(first, 'cpu')[0]!.time);
  total = 2; // the source restarted
  assert.equal(numberPoints(await provider.collect(), 'cpu')[0]!.value, 2);
});

test('a batch callback reports several observables and only those it registered', async () => {
  const { provider, meter } = setup();
  const a = meter.createObservableGauge('a');
  const b = meter.createObservableCounter('b');
  const other = meter.createObservableGauge('other');
  const batch = (r: { observe: (o: typeof a, v: number, attrs?: Record<string, string>) => void }) => {
    r.observe(a, 1, { k: 'x' });
    r.observe(b, 2);
    r.observe(other, 3);
  };
  meter.addBatchObservableCallback(batch, [a, b]);
  const rm = await provider.collect();
  assert.equal(numberPoints(rm, 'a')[0]!.value, 1);
  assert.equal(numberPoints(rm, 'b')[0]!.value, 2);
  assert.equal(metric(rm, 'other'), undefined);
  meter.removeBatchObservableCallback(batch, [a, b]);
  assert.equal(metric(await provider.collect(), 'a'), undefined);
});

test('a throwing callback is skipped and the other callbacks still report', async () => {
  const { provider, meter } = setup();
  const g = meter.createObservableGauge('g');
  g.addCallback(() => {
    throw new Error('boom');
  });
  g.addCallback((r) => r.observe(7));
  meter.addBatchObservableCallback(() => {
    throw new Error('batch boom');
  }, [g]);
  meter.createObservableGauge('rejects').addCallback(() => Promise.reject(new Error('async boom')));
  const rm = await provider.collect();
  assert.equal(numberPoints(rm, 'g')[0]!.value, 7);
  assert.equal(metric(rm, 'rejects'), undefined);
});

test('an async callback is awaited before the collection completes', async () => {
  const { provider, meter } = setup();
  meter.createObservableGauge('later').addCallback(async (r: ObservableResult) => {
    await new Promise((resolve) => setImmediate(resolve));
    r.observe(42);
  });
  assert.equal(numberPoints(await provider.collect(), 'later')[0]!.value, 42);
});

test('removeCallback stops a callback from running', async () => {
  const { provider, meter } = setup();
  const g = meter.createObservableGauge('g');
  const cb = (r: ObservableResult) => r.observe(1);
  g.addCallback(cb);
  g.addCallback(cb);
  assert.equal(numberPoints(await provider.collect(), 'g').length, 1);
  g.removeCallback(cb);
  assert.equal(metric(await provider.collect(), 'g'), undefined);
});
