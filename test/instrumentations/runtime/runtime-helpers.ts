// Shared setup for the runtime-metrics tests (not a test file itself).

import { setImmediate as immediate } from 'node:timers/promises';
import type { ResourceMetrics } from '../../../src/metrics/metric-data.js';

export { byAttr, histogramPoints, metric, numberPoints, setup } from '../../metrics/metric-helpers.js';

/** Blocks the event loop for `ms` (what an event-loop delay sample needs to exist). */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** Wall-clock wait for the delay monitor's unref'd sampling timer to fire after a block. */
export function tick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keeps the garbage reachable until the next round (so it is not optimised away). */
export let sink: unknown;
/** Allocation pressure that makes V8 run (at least minor) GCs; then lets the 'gc' observer deliver. */
export async function provokeGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
  for (let round = 0; round < 20; round++) {
    const garbage: object[] = [];
    for (let i = 0; i < 50_000; i++) garbage.push({ i, s: `x${i}` });
    sink = garbage;
  }
  sink = undefined;
  await immediate();
  await immediate();
}

export function names(rm: ResourceMetrics): Set<string> {
  const out = new Set<string>();
  for (const scope of rm.scopeMetrics) for (const m of scope.metrics) out.add(m.name);
  return out;
}

export const EVENT_LOOP_METRICS = [
  'nodejs.eventloop.delay.min',
  'nodejs.eventloop.delay.max',
  'nodejs.eventloop.delay.mean',
  'nodejs.eventloop.delay.stddev',
  'nodejs.eventloop.delay.p50',
  'nodejs.eventloop.delay.p90',
  'nodejs.eventloop.delay.p99',
  'nodejs.eventloop.utilization',
] as const;

export const HEAP_METRICS = [
  'v8js.memory.heap.limit',
  'v8js.memory.heap.used',
  'v8js.memory.heap.space.available_size',
  'v8js.memory.heap.space.physical_size',
] as const;

export const PROCESS_METRICS = ['process.cpu.time', 'process.memory.usage'] as const;

export const ALL_RUNTIME_METRICS = [...EVENT_LOOP_METRICS, ...HEAP_METRICS, 'v8js.gc.duration', ...PROCESS_METRICS] as const;
