// A Prometheus scrape (collectForPull) beside the periodic push reader (collect), both reading
// the same cumulative storage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace, TraceFlags } from '@opentelemetry/api';
import { runWithContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { byAttr, histogramPoints, numberPoints, setup } from './metric-helpers.js';

test('interleaved push and pull collections see the same cumulative totals', async () => {
  const { provider, meter } = setup('cumulative');
  const counter = meter.createCounter('c');
  const histogram = meter.createHistogram('h');
  counter.add(1, { k: 'a' });
  histogram.record(1);
  assert.deepEqual(byAttr(numberPoints(await provider.collectForPull(), 'c'), 'k'), { a: 1 });
  counter.add(2, { k: 'a' });
  counter.add(5, { k: 'b' });
  histogram.record(2);
  assert.deepEqual(byAttr(numberPoints(await provider.collect(), 'c'), 'k'), { a: 3, b: 5 });
  // Nothing recorded since: the pull still reports every series (cumulative keeps them all).
  const pulled = await provider.collectForPull();
  assert.deepEqual(byAttr(numberPoints(pulled, 'c'), 'k'), { a: 3, b: 5 });
  assert.deepEqual(histogramPoints(pulled, 'h').map((p) => [p.count, p.sum]), [[2, 3]]);
  const pushed = await provider.collect();
  assert.deepEqual(byAttr(numberPoints(pushed, 'c'), 'k'), { a: 3, b: 5 });
  assert.deepEqual(histogramPoints(pushed, 'h').map((p) => [p.count, p.sum]), [[2, 3]]);
});

test('two collections started together both get the observable series of their own callback run', async () => {
  const { provider, meter } = setup('cumulative');
  let total = 0;
  // An async callback keeps the first collection open while the second one is asked for.
  meter.createObservableCounter('oc').addCallback(async (result) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    total += 10;
    result.observe(total, { k: 'x' });
  });
  meter.createObservableGauge('og').addCallback((result) => result.observe(7, { k: 'y' }));
  const [push, pull] = await Promise.all([provider.collect(), provider.collectForPull()]);
  assert.deepEqual(byAttr(numberPoints(push, 'oc'), 'k'), { x: 10 });
  assert.deepEqual(byAttr(numberPoints(pull, 'oc'), 'k'), { x: 20 });
  assert.deepEqual(byAttr(numberPoints(push, 'og'), 'k'), { y: 7 });
  assert.deepEqual(byAttr(numberPoints(pull, 'og'), 'k'), { y: 7 });
});

test('collections asked for together are answered in turn', async () => {
  const { provider, meter } = setup('cumulative');
  meter.createCounter('c').add(1);
  const first = provider.collectForPull();
  const second = provider.collect();
  assert.equal(numberPoints(await first, 'c')[0]!.value, 1);
  assert.equal(numberPoints(await second, 'c')[0]!.value, 1);
  assert.equal(numberPoints(await provider.collectForPull(), 'c')[0]!.value, 1);
});

test('a pull leaves the push reader its pending state: measurements still count as unexported', async () => {
  const { provider, meter } = setup('cumulative');
  meter.createCounter('c').add(1);
  assert.equal(provider.hasRecorded(), true);
  await provider.collectForPull();
  assert.equal(provider.hasRecorded(), true, 'a scrape must not make the exit path skip its send');
  assert.equal(provider.hasPending(), true);
  await provider.collect();
  assert.equal(provider.hasRecorded(), false);
});

test('a pull does not take the exemplars the push reader has yet to export', async () => {
  const { provider, meter } = setup('cumulative', 'trace_based');
  const sampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED });
  const counter = meter.createCounter('c');
  const histogram = meter.createHistogram('h');
  runWithContext(sampled, () => {
    counter.add(1);
    histogram.record(3);
  });
  const pulled = await provider.collectForPull();
  assert.equal(numberPoints(pulled, 'c')[0]!.exemplars.length, 1);
  const pushed = await provider.collect();
  assert.equal(numberPoints(pushed, 'c')[0]!.exemplars.length, 1);
  assert.equal(histogramPoints(pushed, 'h')[0]!.exemplars.length, 1);
  assert.equal(numberPoints(await provider.collect(), 'c')[0]!.exemplars.length, 0, 'the push reader still takes them once');
});
