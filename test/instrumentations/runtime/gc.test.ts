import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:perf_hooks';
import { GC_DURATION_BUCKETS, gcTypeAttributes, startGcMetrics } from '../../../instrumentations/runtime/gc.js';
import { histogramPoints, metric, provokeGc, setup } from './runtime-helpers.js';

test('each perf_hooks gc kind maps to its v8js.gc.type value, unknown kinds to none', () => {
  assert.deepEqual(gcTypeAttributes(constants.NODE_PERFORMANCE_GC_MAJOR), { 'v8js.gc.type': 'major' });
  assert.deepEqual(gcTypeAttributes(constants.NODE_PERFORMANCE_GC_MINOR), { 'v8js.gc.type': 'minor' });
  assert.deepEqual(gcTypeAttributes(constants.NODE_PERFORMANCE_GC_INCREMENTAL), { 'v8js.gc.type': 'incremental' });
  assert.deepEqual(gcTypeAttributes(constants.NODE_PERFORMANCE_GC_WEAKCB), { 'v8js.gc.type': 'weakcb' });
  assert.equal(gcTypeAttributes(12345), undefined);
  assert.equal(gcTypeAttributes(undefined), undefined);
  // The same object every time, so the SDK finds the series without re-keying.
  assert.equal(gcTypeAttributes(constants.NODE_PERFORMANCE_GC_MINOR), gcTypeAttributes(constants.NODE_PERFORMANCE_GC_MINOR));
});

test('garbage collections are recorded as v8js.gc.duration in seconds with the advisory buckets', async () => {
  const { provider, meter } = setup();
  const stop = startGcMetrics(meter);
  try {
    let rm = await provider.collect();
    for (let i = 0; i < 10 && metric(rm, 'v8js.gc.duration') === undefined; i++) {
      await provokeGc();
      rm = await provider.collect();
    }
    const m = metric(rm, 'v8js.gc.duration');
    assert.equal(m?.kind, 'histogram', 'allocation pressure produced at least one GC');
    assert.equal(m.unit, 's');
    assert.ok(m.description.length > 0);
    const allowed = new Set(['major', 'minor', 'incremental', 'weakcb']);
    for (const p of m.points) {
      assert.deepEqual(Object.keys(p.attributes), ['v8js.gc.type']);
      assert.ok(allowed.has(String(p.attributes['v8js.gc.type'])), String(p.attributes['v8js.gc.type']));
      assert.deepEqual(p.bounds, [0.01, 0.1, 1, 10]);
      assert.ok(p.count > 0);
      assert.ok(p.min! >= 0 && p.max! < 10, `durations are seconds (max ${p.max})`);
      assert.ok(p.sum / p.count < 1, `a GC pause averages well under a second (${p.sum / p.count})`);
    }
    assert.deepEqual(GC_DURATION_BUCKETS, [0.01, 0.1, 1, 10]);
  } finally {
    stop();
  }
});

test('after stop no further garbage collection is recorded', async () => {
  const { provider, meter } = setup('delta');
  const stop = startGcMetrics(meter);
  await provokeGc();
  stop();
  stop();
  await provider.collect(); // drains what was recorded before stop
  await provokeGc();
  await provokeGc();
  assert.deepEqual(histogramPoints(await provider.collect(), 'v8js.gc.duration'), []);
});
