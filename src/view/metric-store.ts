// Metric streams (one per service, metric name and attribute set) with their latest points, each
// stream bounded to the last maxPoints exports.

import type { MetricPoint, MetricStream } from './records.js';

export interface StoredStream extends MetricStream {
  readonly points: MetricPoint[];
}

export class MetricStore {
  readonly #streams = new Map<string, StoredStream>();

  constructor(readonly maxPoints: number, readonly maxStreams = 5000) {}

  add(stream: MetricStream, point: MetricPoint): void {
    let stored = this.#streams.get(stream.key);
    if (stored === undefined) {
      if (this.#streams.size >= this.maxStreams) {
        const oldest = this.#streams.keys().next().value;
        if (oldest !== undefined) this.#streams.delete(oldest);
      }
      stored = { ...stream, points: [] };
      this.#streams.set(stream.key, stored);
    }
    const last = stored.points[stored.points.length - 1];
    // A re-sent batch (retry) repeats a point: keep one.
    if (last !== undefined && last.timeMs === point.timeMs) stored.points[stored.points.length - 1] = point;
    else stored.points.push(point);
    if (stored.points.length > this.maxPoints) stored.points.splice(0, stored.points.length - this.maxPoints);
  }

  streams(service?: string): StoredStream[] {
    const out: StoredStream[] = [];
    for (const s of this.#streams.values()) if (!service || s.service === service) out.push(s);
    return out;
  }

  services(): string[] {
    return [...new Set([...this.#streams.values()].map((s) => s.service))].sort();
  }
}
