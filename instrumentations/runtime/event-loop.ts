// Event-loop metrics (semconv nodejs.eventloop.*): delay percentiles from a libuv-timer histogram
// and utilization deltas. Both are read only when the SDK collects; the request path is untouched.

import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { BatchObservableCallback, BatchObservableResult, Meter } from '@opentelemetry/api';
import { observeInBatch } from './observe-in-batch.js';

/** monitorEventLoopDelay sampling period, in ms. */
export const EVENT_LOOP_DELAY_RESOLUTION_MS = 20;

const NS_PER_S = 1e9;

/** The delay statistics, each as a gauge named nodejs.eventloop.delay.<stat>. */
const DELAY_STATS = [
  ['min', 'Event loop minimum delay.'],
  ['max', 'Event loop maximum delay.'],
  ['mean', 'Event loop mean delay.'],
  ['stddev', 'Event loop standard deviation delay.'],
  ['p50', 'Event loop 50 percentile delay.'],
  ['p90', 'Event loop 90 percentile delay.'],
  ['p99', 'Event loop 99 percentile delay.'],
] as const;

function delayValues(h: IntervalHistogram): readonly number[] {
  return [h.min, h.max, h.mean, h.stddev, h.percentile(50), h.percentile(90), h.percentile(99)];
}

/** Registers the nodejs.eventloop.delay.* and nodejs.eventloop.utilization gauges; returns the stop function. */
export function startEventLoopMetrics(meter: Meter): () => void {
  const delayGauges = DELAY_STATS.map(([stat, description]) =>
    meter.createObservableGauge(`nodejs.eventloop.delay.${stat}`, { unit: 's', description }),
  );
  const utilization = meter.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Event loop utilization.' });

  // The histogram's timer is unref'd by Node: it never keeps the process alive.
  let histogram: IntervalHistogram | undefined;
  try {
    histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_DELAY_RESOLUTION_MS });
    histogram.enable();
  } catch {
    histogram = undefined;
  }
  let previous: EventLoopUtilization | undefined;
  try {
    previous = performance.eventLoopUtilization();
  } catch {
    previous = undefined;
  }

  const callback: BatchObservableCallback = (result: BatchObservableResult) => {
    try {
      // No sample yet (e.g. the loop was blocked the whole interval): min/mean are meaningless, report nothing.
      if (histogram !== undefined && histogram.count > 0) {
        const values = delayValues(histogram);
        for (let i = 0; i < delayGauges.length; i++) {
          const v = values[i]!;
          if (Number.isFinite(v)) result.observe(delayGauges[i]!, v / NS_PER_S);
        }
      }
    } catch {
      // Never fail a collection.
    }
    try {
      // Each collection reports the last interval only. Node records the whole time between two
      // sampling ticks (about the resolution when idle), and reset() also forgets the previous
      // tick, so the first tick after a collection only re-arms: a block that starts right after
      // a collection (before that tick) is not counted.
      histogram?.reset();
    } catch {
      // ignore
    }
    try {
      const current = performance.eventLoopUtilization();
      if (previous !== undefined) {
        const delta = performance.eventLoopUtilization(current, previous);
        if (delta.utilization >= 0 && delta.utilization <= 1) result.observe(utilization, delta.utilization);
      }
      previous = current;
    } catch {
      // ignore
    }
  };
  return observeInBatch(meter, [...delayGauges, utilization], callback, () => {
    try {
      histogram?.disable();
    } catch {
      // ignore
    }
    histogram = undefined;
  });
}
