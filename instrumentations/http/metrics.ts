// http.server.request.duration and http.client.request.duration: stable HTTP metrics, in seconds,
// with the conventions' advisory bucket boundaries. Recorded where the span ends, from the same
// start time, so the value matches the span's duration.

import type { Attributes, Histogram, Meter } from '@opentelemetry/api';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface HttpDurations {
  readonly server: Histogram<Attributes>;
  readonly client: Histogram<Attributes>;
}

// http and undici each have their own meter (their own scope): the last one asked is checked first,
// the others are kept per meter, so alternating between them never creates the histograms again.
let lastMeter: Meter | undefined;
let lastDurations: HttpDurations | undefined;
const byMeter = new WeakMap<Meter, HttpDurations>();

/** Both histograms, created once per meter; undefined when metrics are off. */
export function httpDurations(meter: Meter | undefined): HttpDurations | undefined {
  if (meter === undefined) return undefined;
  if (meter === lastMeter) return lastDurations;
  let durations = byMeter.get(meter);
  if (durations === undefined) {
    const advice = { explicitBucketBoundaries: DURATION_BUCKETS };
    durations = {
      server: meter.createHistogram('http.server.request.duration', { unit: 's', description: 'Duration of HTTP server requests.', advice }),
      client: meter.createHistogram('http.client.request.duration', { unit: 's', description: 'Duration of HTTP client requests.', advice }),
    };
    byMeter.set(meter, durations);
  }
  lastMeter = meter;
  lastDurations = durations;
  return durations;
}

/** Seconds since a performance.now() reading. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
