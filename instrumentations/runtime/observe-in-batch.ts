// How every runtime group registers: one batch callback over its observables, and a stop
// function that removes it once (and runs the group's own clean-up).

import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';

export function observeInBatch(
  meter: Meter,
  observables: Observable[],
  callback: BatchObservableCallback,
  onStop?: () => void,
): () => void {
  meter.addBatchObservableCallback(callback, observables);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    try {
      meter.removeBatchObservableCallback(callback, observables);
    } catch {
      // A failing meter must not break the caller's shutdown.
    }
    onStop?.();
  };
}
