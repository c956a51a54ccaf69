// Node.js runtime metrics through any @opentelemetry/api Meter: event loop (nodejs.eventloop.*),
// V8 heap and GC (v8js.*), process CPU and memory (process.*). Semantic conventions: Development.
// Everything is read at collection time except GC durations (a PerformanceObserver); nothing here
// keeps the process alive or runs on the request path.

import type { Meter } from '@opentelemetry/api';
import { startEventLoopMetrics } from './event-loop.js';
import { startGcMetrics } from './gc.js';
import { startHeapMetrics } from './heap.js';
import { startProcessMetrics } from './process.js';

/**
 * Starts every runtime metric on `meter`. The returned function removes the observable callbacks,
 * disconnects the GC observer and disables the event-loop delay monitor; calling it again is a no-op.
 */
export function startRuntimeMetrics(meter: Meter): () => void {
  const stops: (() => void)[] = [];
  for (const start of [startEventLoopMetrics, startHeapMetrics, startGcMetrics, startProcessMetrics]) {
    try {
      stops.push(start(meter));
    } catch {
      // A meter that throws on registration gets the other groups still.
    }
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stops) {
      try {
        stop();
      } catch {
        // ignore
      }
    }
  };
}
