import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProcessMetrics } from '../../../instrumentations/runtime/process.js';
import { Temporality } from '../../../src/metrics/metric-data.js';
import { busyWait, byAttr, metric, names, numberPoints, PROCESS_METRICS, setup } from './runtime-helpers.js';

test('process.cpu.time is a monotonic counter in seconds per cpu.mode that grows with CPU work', async () => {
  const { provider, meter } = setup();
  const stop = startProcessMetrics(meter);
  try {
    const first = await provider.collect();
    const m = metric(first, 'process.cpu.time');
    assert.equal(m?.kind, 'sum');
    assert.equal(m.isMonotonic, true);
    assert.equal(m.temporality, Temporality.Cumulative);
    assert.equal(m.unit, 's');
    const before = byAttr(m.points, 'cpu.mode');
    assert.deepEqual(Object.keys(before).sort(), ['system', 'user']);
    busyWait(30);
    const after = byAttr(numberPoints(await provider.collect(), 'process.cpu.time'), 'cpu.mode');
    assert.ok(after.user! > before.user!, `user time grew (${before.user} -> ${after.user})`);
    assert.ok(after.system! >= before.system!);
    const limit = process.cpuUsage().user / 1e6;
    assert.ok(after.user! <= limit, `seconds, not microseconds (${after.user} <= ${limit})`);
  } finally {
    stop();
  }
});

test('process.memory.usage reports the resident set size in bytes', async () => {
  const { provider, meter } = setup();
  const stop = startProcessMetrics(meter);
  try {
    const rm = await provider.collect();
    const m = metric(rm, 'process.memory.usage');
    assert.equal(m?.kind, 'sum');
    assert.equal(m.isMonotonic, false);
    assert.equal(m.unit, 'By');
    assert.equal(m.valueType, 'int');
    assert.equal(m.points.length, 1);
    assert.deepEqual(m.points[0]!.attributes, {});
    const rss = process.memoryUsage.rss();
    const value = m.points[0]!.value;
    assert.ok(value > 10_000_000 && value > rss / 2 && value < rss * 2, `rss ${value} close to ${rss}`);
  } finally {
    stop();
  }
});

test('stopping removes the process metrics from later collections', async () => {
  const { provider, meter } = setup();
  const stop = startProcessMetrics(meter);
  assert.ok(names(await provider.collect()).has('process.cpu.time'));
  stop();
  const after = names(await provider.collect());
  for (const name of PROCESS_METRICS) assert.equal(after.has(name), false, name);
});
