// V8 garbage collection durations (semconv v8js.gc.duration) from 'gc' performance entries.
// PerformanceObserver delivers entries asynchronously and does not keep the process alive.

import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import type { Attributes, Meter } from '@opentelemetry/api';

export const ATTR_V8JS_GC_TYPE = 'v8js.gc.type';

/** Semconv advisory buckets, in seconds. */
export const GC_DURATION_BUCKETS: readonly number[] = Object.freeze([0.01, 0.1, 1, 10]);

const MAJOR: Attributes = Object.freeze({ [ATTR_V8JS_GC_TYPE]: 'major' });
const MINOR: Attributes = Object.freeze({ [ATTR_V8JS_GC_TYPE]: 'minor' });
const INCREMENTAL: Attributes = Object.freeze({ [ATTR_V8JS_GC_TYPE]: 'incremental' });
const WEAKCB: Attributes = Object.freeze({ [ATTR_V8JS_GC_TYPE]: 'weakcb' });

/** The v8js.gc.type attributes for a gc entry's detail.kind; undefined for an unknown kind. */
export function gcTypeAttributes(kind: unknown): Attributes | undefined {
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return MAJOR;
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return MINOR;
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return INCREMENTAL;
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return WEAKCB;
    default:
      return undefined;
  }
}

function kindOf(entry: PerformanceEntry): unknown {
  const detail = (entry as { detail?: unknown }).detail;
  if (detail !== null && typeof detail === 'object') return (detail as { kind?: unknown }).kind;
  // Older Nodes put the kind on the entry itself.
  return (entry as { kind?: unknown }).kind;
}

/** Registers the v8js.gc.duration histogram and starts observing GCs; returns the stop function. */
export function startGcMetrics(meter: Meter): () => void {
  const histogram = meter.createHistogram('v8js.gc.duration', {
    unit: 's',
    description: 'Garbage collection duration.',
    advice: { explicitBucketBoundaries: GC_DURATION_BUCKETS.slice() },
  });

  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      try {
        for (const entry of list.getEntries()) {
          const attributes = gcTypeAttributes(kindOf(entry));
          if (attributes !== undefined) histogram.record(entry.duration / 1000, attributes);
        }
      } catch {
        // Never throw out of the observer.
      }
    });
    observer.observe({ type: 'gc' });
  } catch {
    observer = undefined;
  }

  return () => {
    try {
      observer?.disconnect();
    } catch {
      // ignore
    }
    observer = undefined;
  };
}
