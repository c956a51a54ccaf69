// Worker threads' collections merged into the main thread's (src/metrics/thread-metrics.ts): real
// meter providers stand for the threads, their collections are what a worker sends.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TemporalityPreference } from '../../src/metrics/instruments.js';
import { byAttr, histogramPoints, numberPoints, setup } from './metric-helpers.js';

function threads(preference: TemporalityPreference = 'cumulative') {
  const main = setup(preference);
  const merged = main.provider.takeThreadMetrics();
  const workers = [setup(preference), setup(preference)];
  /** What worker `i` (thread id i + 1) sends: one collection. */
  const send = (i: number, final = false): void => merged.add(i + 1, workers[i]!.provider.collectSync().scopeMetrics, final);
  return { main, merged, workers, send };
}

test('a counter counted by the main thread and two workers is one stream with the sum of all three', () => {
  const { main, workers, send } = threads();
  main.meter.createCounter('jobs').add(1, { q: 'a' });
  workers[0]!.meter.createCounter('jobs').add(2, { q: 'a' });
  workers[1]!.meter.createCounter('jobs').add(3, { q: 'a' });
  workers[1]!.meter.createCounter('jobs').add(10, { q: 'b' });
  send(0);
  send(1);
  assert.deepEqual(byAttr(numberPoints(main.provider.collectSync(), 'jobs'), 'q'), { a: 6, b: 10 });
});

test('cumulative: a thread\'s new collection replaces its last one, and an ended thread\'s total stays counted', () => {
  const { main, merged, workers, send } = threads();
  const counter = workers[0]!.meter.createCounter('jobs');
  counter.add(2);
  send(0);
  counter.add(3);
  send(0);
  assert.equal(numberPoints(main.provider.collectSync(), 'jobs')[0]!.value, 5, 'not 2 + 5');
  counter.add(1);
  send(0, true);
  assert.equal(numberPoints(main.provider.collectSync(), 'jobs')[0]!.value, 6);
  workers[1]!.meter.createCounter('jobs').add(4);
  send(1);
  assert.equal(numberPoints(main.provider.collectSync(), 'jobs')[0]!.value, 10, 'ended thread 6 + live thread 4');
  assert.equal(merged.hasPending(), false, 'taken by the collection');
});

test('delta: what workers sent is exported once, by the next collection only', () => {
  const { main, workers, send } = threads('delta');
  workers[0]!.meter.createCounter('jobs').add(2);
  send(0);
  workers[0]!.meter.createCounter('jobs').add(5);
  send(0);
  main.meter.createCounter('jobs').add(1);
  assert.equal(numberPoints(main.provider.collectSync(), 'jobs')[0]!.value, 8);
  assert.deepEqual(numberPoints(main.provider.collectSync(), 'jobs'), []);
});

test('histograms are added bucket by bucket; a histogram with other bounds is not mixed in', () => {
  const { main, workers, send } = threads();
  const bounds = { advice: { explicitBucketBoundaries: [1, 10] } };
  main.meter.createHistogram('latency', bounds).record(0.5);
  workers[0]!.meter.createHistogram('latency', bounds).record(5);
  workers[1]!.meter.createHistogram('latency', { advice: { explicitBucketBoundaries: [2] } }).record(50);
  send(0);
  send(1);
  const [point] = histogramPoints(main.provider.collectSync(), 'latency');
  assert.deepEqual(point!.bucketCounts, [1, 1, 0]);
  assert.equal(point!.count, 2);
  assert.equal(point!.sum, 5.5);
  assert.equal(point!.min, 0.5);
  assert.equal(point!.max, 5);
});

test('a stream only a worker has is exported as the main thread\'s own, in its scope', () => {
  const { main, workers, send } = threads();
  workers[0]!.meter.createUpDownCounter('queue').add(-2, { q: 'x' });
  send(0);
  const rm = main.provider.collectSync();
  assert.equal(rm.resource, main.provider.resource);
  assert.equal(rm.scopeMetrics[0]!.scope.name, 'test');
  assert.deepEqual(byAttr(numberPoints(rm, 'queue'), 'q'), { x: -2 });
});

test('a gauge takes the newest value a worker reported since the last collection, else the main thread\'s', () => {
  const { main, workers, send } = threads();
  main.meter.createGauge('temperature').record(20);
  workers[0]!.meter.createGauge('temperature').record(25);
  send(0);
  workers[1]!.meter.createGauge('temperature').record(30);
  send(1);
  assert.equal(numberPoints(main.provider.collectSync(), 'temperature')[0]!.value, 30);
  assert.equal(numberPoints(main.provider.collectSync(), 'temperature')[0]!.value, 20);
});

test('a Prometheus scrape reads the workers\' data without taking it from the push reader', async () => {
  const { main, workers, send } = threads('delta');
  workers[0]!.meter.createCounter('jobs').add(2);
  send(0);
  assert.equal(numberPoints(await main.provider.collectForPull(), 'jobs')[0]!.value, 2);
  assert.equal(main.provider.hasPending(), true, 'what arrived from a worker is pending for the push reader');
  assert.equal(numberPoints(main.provider.collectSync(), 'jobs')[0]!.value, 2);
});

test('a thread that ends with nothing to report leaves nothing pending (the exit flush would never end)', () => {
  const { main, merged, send } = threads();
  send(0, true);
  assert.equal(merged.hasPending(), false);
  assert.equal(main.provider.hasPending(), false);
});
