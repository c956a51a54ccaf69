// How much telemetry this process has dropped so far, per signal: items a full queue refused, and
// batches whose export failed for good. The exporter's outage reporter reads it to say, when a
// collector comes back, what its outage cost.

import type { Signal } from '../config/types.js';

const dropped: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };

export function countDropped(signal: Signal, count: number): void {
  dropped[signal] += count;
}

/** Spans, metric data points or log records dropped since the process started. */
export function droppedSoFar(signal: Signal): number {
  return dropped[signal];
}
