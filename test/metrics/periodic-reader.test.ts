import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { EXPORT_OK, type ExportResult, type Exporter } from '../../src/core/export-result.js';
import type { ResourceMetrics } from '../../src/metrics/metric-data.js';
import { PeriodicExportingMetricReader } from '../../src/metrics/periodic-reader.js';
import { isSuppressed } from '../../src/context/suppress.js';
import { numberPoints, setup } from './metric-helpers.js';

class FakeExporter extends EventEmitter implements Exporter<ResourceMetrics> {
  readonly batches: ResourceMetrics[][] = [];
  /** When set, export() keeps the callback instead of answering. */
  hold = false;
  held: ((r: ExportResult) => void)[] = [];
  suppressedSeen: boolean[] = [];
  shutdowns = 0;

  export(batch: readonly ResourceMetrics[], done: (result: ExportResult) => void): void {
    this.batches.push([...batch]);
    this.suppressedSeen.push(isSuppressed());
    if (this.hold) this.held.push(done);
    else done(EXPORT_OK);
    this.emit('export');
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

/** Resolves on the next `event`; the ref'd deadline keeps the loop alive (the reader's own timer is unref'd). */
function next(emitter: EventEmitter, event: string, deadlineMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${deadlineMs} ms`)), deadlineMs);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Keeps the event loop alive until p settles: every timer of the reader is unref'd. */
async function alive<T>(p: Promise<T>): Promise<T> {
  const guard = setInterval(() => undefined, 1000);
  try {
    return await p;
  } finally {
    clearInterval(guard);
  }
}

/** Resolves after `n` periods of an interval of `ms` (scheduled after the reader's, so its ticks run first). */
function periods(ms: number, n: number): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const timer = setInterval(() => {
      if (++count < n) return;
      clearInterval(timer);
      resolve();
    }, ms);
  });
}

test('the reader exports every interval while measurements keep arriving', async () => {
  const { provider, meter } = setup('delta');
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 10, timeoutMs: 1000 });
  const counter = meter.createCounter('c');
  counter.add(1);
  await next(exporter, 'export');
  counter.add(2);
  await next(exporter, 'export');
  assert.deepEqual(exporter.batches.map((b) => numberPoints(b[0]!, 'c')[0]!.value), [1, 2]);
  assert.ok(exporter.suppressedSeen.every(Boolean), 'exports run with tracing suppressed');
  await reader.shutdown(1000);
});

test('nothing is exported when there are no points', async () => {
  const { provider } = setup('delta');
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 1, timeoutMs: 1000 });
  await reader.forceFlush(1000);
  assert.equal(exporter.batches.length, 0);
  await reader.shutdown(1000);
  assert.equal(exporter.batches.length, 0);
  assert.equal(exporter.shutdowns, 1);
});

test('hasPending is true after a measurement and false once it was exported', async () => {
  const { provider, meter } = setup();
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 60_000, timeoutMs: 1000 });
  assert.equal(reader.hasPending(), false);
  meter.createCounter('c').add(1);
  assert.equal(reader.hasPending(), true);
  await reader.forceFlush(1000);
  assert.equal(reader.hasPending(), false);
  assert.equal(exporter.batches.length, 1);
  await reader.shutdown(1000);
});

test('only one export is in flight at a time and forceFlush waits for it', async () => {
  const { provider, meter } = setup('delta');
  const exporter = new FakeExporter();
  exporter.hold = true;
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 5, timeoutMs: 0 });
  const counter = meter.createCounter('c');
  counter.add(1);
  await next(exporter, 'export');
  counter.add(2);
  // Several intervals pass while the first export is held.
  await periods(5, 6);
  assert.equal(exporter.batches.length, 1);
  assert.equal(reader.hasPending(), true);
  exporter.hold = false;
  const flushed = reader.forceFlush(1000);
  exporter.held.shift()!(EXPORT_OK);
  await flushed;
  assert.deepEqual(exporter.batches.map((b) => numberPoints(b[0]!, 'c')[0]!.value), [1, 2]);
  await reader.shutdown(1000);
});

test('an export that never answers is abandoned after the export timeout', async () => {
  const { provider, meter } = setup();
  const exporter = new FakeExporter();
  exporter.hold = true;
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 60_000, timeoutMs: 20 });
  meter.createCounter('c').add(1);
  await alive(reader.forceFlush(5000));
  assert.equal(exporter.batches.length, 1);
  assert.equal(reader.hasPending(), false);
  exporter.hold = false;
  await reader.shutdown(1000);
});

test('shutdown does a final export, is idempotent and stops recording', async () => {
  const { provider, meter } = setup();
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 60_000, timeoutMs: 1000 });
  const counter = meter.createCounter('c');
  counter.add(4);
  const a = reader.shutdown(1000);
  assert.equal(reader.shutdown(1000), a);
  await a;
  assert.equal(exporter.batches.length, 1);
  assert.equal(exporter.shutdowns, 1);
  counter.add(1);
  assert.equal(reader.hasPending(), false);
});

test('collectForExit returns the pending measurements synchronously, or undefined', () => {
  const { provider, meter } = setup();
  const reader = new PeriodicExportingMetricReader(provider, new FakeExporter(), { intervalMs: 60_000, timeoutMs: 1000 });
  assert.equal(reader.collectForExit(), undefined);
  meter.createCounter('c').add(1);
  const rm = reader.collectForExit();
  assert.equal(numberPoints(rm!, 'c')[0]!.value, 1);
  assert.equal(reader.collectForExit(), undefined);
  void reader.shutdown(100);
});

test('observable-only setups count as pending until their first collection', async () => {
  const { provider, meter } = setup();
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 60_000, timeoutMs: 1000 });
  meter.createObservableGauge('g').addCallback((r) => r.observe(1));
  assert.equal(reader.hasPending(), true);
  await reader.forceFlush(1000);
  assert.equal(numberPoints(exporter.batches[0]![0]!, 'g')[0]!.value, 1);
  assert.equal(reader.hasPending(), false);
  await reader.shutdown(1000);
});

test('forceFlush after shutdown exports nothing more', async () => {
  const { provider, meter } = setup();
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 2 ** 40, timeoutMs: 1000 });
  meter.createCounter('c').add(1);
  await reader.shutdown(1000);
  await reader.forceFlush(1000);
  assert.equal(exporter.batches.length, 1);
});

test('collectForExit sends nothing for observable-only metrics, but includes them with recorded measurements', () => {
  const { provider, meter } = setup();
  const reader = new PeriodicExportingMetricReader(provider, new FakeExporter(), { intervalMs: 60_000, timeoutMs: 1000 });
  meter.createObservableGauge('g').addCallback((result) => result.observe(1));
  assert.equal(reader.collectForExit(), undefined);
  meter.createCounter('c').add(1);
  const rm = reader.collectForExit()!;
  assert.equal(numberPoints(rm, 'c')[0]!.value, 1);
  assert.equal(numberPoints(rm, 'g')[0]!.value, 1);
  void reader.shutdown(100);
});

test('background meter recordings are collected but never make the provider pending', async () => {
  const { provider } = setup();
  const background = provider.getBackgroundMeter('runtime');
  assert.equal(provider.getBackgroundMeter('runtime'), background);
  const histogram = background.createHistogram('gc.duration');
  const exporter = new FakeExporter();
  const reader = new PeriodicExportingMetricReader(provider, exporter, { intervalMs: 60_000, timeoutMs: 1000 });
  histogram.record(0.5);
  assert.equal(provider.hasRecorded(), false);
  assert.equal(reader.collectForExit(), undefined);
  await reader.forceFlush(1000);
  assert.equal(exporter.batches.length, 1);
  histogram.record(0.25);
  assert.equal(reader.hasPending(), false);
  await reader.shutdown(100);
});
