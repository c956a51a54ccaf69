import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEventLoopMetrics } from '../../../instrumentations/runtime/event-loop.js';
import { busyWait, EVENT_LOOP_METRICS, metric, names, numberPoints, setup, tick } from './runtime-helpers.js';

const DELAY = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;

function delays(rm: Awaited<ReturnType<ReturnType<typeof setup>['provider']['collect']>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stat of DELAY) {
    const points = numberPoints(rm, `nodejs.eventloop.delay.${stat}`);
    assert.equal(points.length, 1, `nodejs.eventloop.delay.${stat} has one point`);
    out[stat] = points[0]!.value;
  }
  return out;
}

test('the event-loop delay gauges report seconds, ordered p99 >= p90 >= p50 >= min, after the loop was blocked', async () => {
  const { provider, meter } = setup();
  const stop = startEventLoopMetrics(meter);
  try {
    await tick(30); // the monitor's first timer tick only sets its reference time
    busyWait(50);
    await tick(45); // the 20 ms sampling timer fires at least once after the block
    const rm = await provider.collect();
    for (const stat of DELAY) {
      const m = metric(rm, `nodejs.eventloop.delay.${stat}`);
      assert.equal(m?.kind, 'gauge');
      assert.equal(m.unit, 's');
      assert.ok(m.description.length > 0);
      assert.deepEqual(m.points[0]!.attributes, {});
    }
    const d = delays(rm);
    for (const stat of DELAY) assert.ok(Number.isFinite(d[stat]) && d[stat]! >= 0, `${stat} = ${d[stat]}`);
    // Node records the whole interval between sampling ticks (so ~0.02 s when idle).
    assert.ok(d.max! >= 0.045, `the 50 ms block shows in the delay (max = ${d.max} s)`);
    assert.ok(d.max! < 10, `values are seconds, not nanoseconds (max = ${d.max})`);
    assert.ok(d.p99! >= d.p90! && d.p90! >= d.p50! && d.p50! >= d.min!, JSON.stringify(d));
    assert.ok(d.max! >= d.p99! && d.mean! >= d.min! && d.mean! <= d.max!, JSON.stringify(d));
  } finally {
    stop();
  }
});

test('each collection reports only the delays since the previous collection', async () => {
  const { provider, meter } = setup();
  const stop = startEventLoopMetrics(meter);
  try {
    await tick(30);
    busyWait(80);
    await tick(45);
    const first = delays(await provider.collect());
    assert.ok(first.max! >= 0.075, `first max ${first.max}`);
    await tick(70); // no block this time
    const second = delays(await provider.collect());
    assert.ok(second.max! < first.max!, `the 80 ms block is not reported again (second max ${second.max}, first ${first.max})`);
  } finally {
    stop();
  }
});

test('no delay gauge is reported before the monitor has taken a sample', async () => {
  const { provider, meter } = setup();
  const stop = startEventLoopMetrics(meter);
  try {
    const rm = await provider.collect(); // synchronously after start: the sampling timer has not fired
    for (const stat of DELAY) assert.equal(metric(rm, `nodejs.eventloop.delay.${stat}`), undefined);
    assert.equal(metric(rm, 'nodejs.eventloop.utilization')?.kind, 'gauge');
  } finally {
    stop();
  }
});

test('event-loop utilization is a unitless gauge in [0, 1] that reflects a busy interval', async () => {
  const { provider, meter } = setup();
  const stop = startEventLoopMetrics(meter);
  try {
    await provider.collect();
    busyWait(30);
    const rm = await provider.collect();
    const m = metric(rm, 'nodejs.eventloop.utilization');
    assert.equal(m?.kind, 'gauge');
    assert.equal(m.unit, '1');
    const busy = m.points[0]!.value;
    assert.ok(busy > 0.5 && busy <= 1, `a 30 ms busy-wait between collections is mostly active (${busy})`);
    // A loaded machine can keep even an idle interval busy (other processes, GC): the least utilized
    // of a few idle intervals must be below the busy one.
    let idle = Infinity;
    for (let i = 0; i < 5 && !(idle < busy); i++) {
      await tick(50);
      idle = Math.min(idle, numberPoints(await provider.collect(), 'nodejs.eventloop.utilization')[0]!.value);
    }
    assert.ok(idle >= 0 && idle < busy, `an idle interval is less utilized (${idle} vs ${busy})`);
  } finally {
    stop();
  }
});

test('stopping removes the event-loop gauges from later collections and is idempotent', async () => {
  const { provider, meter } = setup();
  const stop = startEventLoopMetrics(meter);
  busyWait(25);
  await tick(25);
  const before = names(await provider.collect());
  assert.ok(before.has('nodejs.eventloop.utilization'));
  stop();
  stop();
  const after = names(await provider.collect());
  for (const name of EVENT_LOOP_METRICS) assert.equal(after.has(name), false, name);
});
