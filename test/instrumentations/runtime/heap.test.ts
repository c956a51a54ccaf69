import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import { startHeapMetrics } from '../../../instrumentations/runtime/heap.js';
import { byAttr, HEAP_METRICS, metric, names, numberPoints, setup } from './runtime-helpers.js';

const SPACE = 'v8js.heap.space.name';

test('the four heap metrics are non-monotonic sums in bytes with one series per V8 heap space', async () => {
  const { provider, meter } = setup();
  const stop = startHeapMetrics(meter);
  try {
    const rm = await provider.collect();
    const spaces = getHeapSpaceStatistics().map((s) => s.space_name).sort();
    for (const name of HEAP_METRICS) {
      const m = metric(rm, name);
      assert.equal(m?.kind, 'sum', name);
      assert.equal(m.isMonotonic, false);
      assert.equal(m.unit, 'By');
      assert.equal(m.valueType, 'int');
      assert.ok(m.description.length > 0);
      assert.deepEqual(m.points.map((p) => p.attributes[SPACE]).sort(), spaces, name);
      for (const p of m.points) {
        assert.deepEqual(Object.keys(p.attributes), [SPACE]);
        assert.ok(Number.isInteger(p.value) && p.value >= 0, `${name} ${String(p.attributes[SPACE])} = ${p.value}`);
      }
    }
  } finally {
    stop();
  }
});

test('heap used is positive for the spaces that hold objects and never exceeds the space size', async () => {
  const { provider, meter } = setup();
  const stop = startHeapMetrics(meter);
  try {
    const rm = await provider.collect();
    const used = byAttr(numberPoints(rm, 'v8js.memory.heap.used'), SPACE);
    const limit = byAttr(numberPoints(rm, 'v8js.memory.heap.limit'), SPACE);
    for (const space of ['new_space', 'old_space', 'code_space']) assert.ok(used[space]! > 0, `${space} used ${used[space]}`);
    for (const space of Object.keys(used)) {
      assert.ok(used[space]! <= limit[space]!, `${space}: used ${used[space]} <= size ${limit[space]}`);
    }
    const total = Object.values(used).reduce((a, b) => a + b, 0);
    assert.ok(total > 1_000_000, `a running Node heap uses more than 1 MB (${total})`);
  } finally {
    stop();
  }
});

test('stopping removes the heap metrics from later collections', async () => {
  const { provider, meter } = setup();
  const stop = startHeapMetrics(meter);
  assert.ok(names(await provider.collect()).has('v8js.memory.heap.used'));
  stop();
  const after = names(await provider.collect());
  for (const name of HEAP_METRICS) assert.equal(after.has(name), false, name);
});
