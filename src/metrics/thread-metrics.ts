// Worker threads' metrics, merged into the main thread's collections (src/threads/thread-messages.ts):
// one set of streams per process, whichever thread recorded a measurement, as if the process had one
// meter provider. A worker collects with the main thread's temporality and sends its collections; here
//  - a delta point is added to what its stream got since the main thread's last collection;
//  - a cumulative point replaces its thread's previous one; the stream's total is the sum over the
//    threads, with what ended threads reported last kept in it (a counter never goes down);
//  - a gauge point replaces the stream's value when it is newer (collected later), and is exported
//    instead of the main thread's value by the next collection.
// At collection each stream's total is added to the main thread's point of the same stream (same scope,
// metric name and attributes), or exported as a point of its own. Exemplars of workers are not kept.
// A thread ended by worker.terminate() sends no last collection: its last cumulative points stay
// counted (one point per stream per such thread is held).

import type { Attributes, HrTime, InstrumentationScope } from '../core/types.js';
import { hrNow } from '../core/time.js';
import { diag } from '../diag/log.js';
import { NO_EXEMPLARS } from './exemplar.js';
import { Temporality, type HistogramPoint, type MetricData, type NumberPoint, type ResourceMetrics, type ScopeMetrics } from './metric-data.js';

type Point = NumberPoint | HistogramPoint;

interface Stream {
  readonly scope: InstrumentationScope;
  /** The metric as first reported (name, unit, kind, temporality); its points are not used. */
  readonly metric: MetricData;
  /** Delta: the sum since the main thread's last collection. Gauge: the newest value. */
  pending: Point | undefined;
  /** Cumulative: each thread's latest point, and the sum of what ended threads reported last. */
  readonly threads: Map<number, Point>;
  ended: Point | undefined;
}

function scopeKey(scope: InstrumentationScope): string {
  return `${scope.name}@${scope.version ?? ''}@${scope.schemaUrl ?? ''}`;
}

/** Order-independent: the same attribute set from two threads is one key. */
function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let key = '';
  for (const name of keys) key += `${JSON.stringify(name)}=${JSON.stringify(attributes[name])};`;
  return key;
}

function streamKey(scope: string, metricName: string, attributes: Attributes): string {
  return `${scope}\u0000${metricName}\u0000${attributesKey(attributes)}`;
}

/** Same kind of data: a sum with a histogram, or delta with cumulative, are never combined. */
function sameKind(a: MetricData, b: MetricData): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'gauge') return true;
  if (a.temporality !== (b as typeof a).temporality) return false;
  return a.kind !== 'sum' || a.isMonotonic === (b as typeof a).isMonotonic;
}

function earlier(a: HrTime, b: HrTime): HrTime {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b;
}

function later(a: HrTime, b: HrTime): HrTime {
  return earlier(a, b) === a ? b : a;
}

function isHistogram(point: Point): point is HistogramPoint {
  return (point as HistogramPoint).bucketCounts !== undefined;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/**
 * a + b, over the time both cover; `base` (the main thread's point) keeps its own times and exemplars.
 * Undefined when they cannot be added (histograms with different bucket bounds).
 */
function add(a: Point, b: Point, base = false): Point | undefined {
  const startTime = base ? a.startTime : earlier(a.startTime, b.startTime);
  const time = base ? a.time : later(a.time, b.time);
  const exemplars = base ? a.exemplars : NO_EXEMPLARS;
  if (isHistogram(a) || isHistogram(b)) {
    if (!isHistogram(a) || !isHistogram(b) || !sameBounds(a.bounds, b.bounds)) return undefined;
    const bucketCounts = a.bucketCounts.slice();
    for (let i = 0; i < bucketCounts.length; i++) bucketCounts[i]! += b.bucketCounts[i]!;
    return {
      attributes: a.attributes,
      startTime,
      time,
      count: a.count + b.count,
      sum: a.sum + b.sum,
      min: minOf(a.min, b.min),
      max: maxOf(a.max, b.max),
      bounds: a.bounds,
      bucketCounts,
      exemplars,
    };
  }
  return { attributes: a.attributes, startTime, time, value: a.value + b.value, exemplars };
}

function withTime(point: Point, time: HrTime): Point {
  return { ...point, time, exemplars: NO_EXEMPLARS };
}

export class ThreadMetrics {
  readonly #streams = new Map<string, Stream>();
  /** Something arrived since the last collection. */
  #changed = false;
  #mismatchReported = false;

  hasPending(): boolean {
    return this.#changed;
  }

  /** One collection of `thread`; `final` when the thread ends with it. */
  add(thread: number, scopeMetrics: readonly ScopeMetrics[], final: boolean): void {
    for (const { scope, metrics } of scopeMetrics) {
      const scopeId = scopeKey(scope);
      for (const metric of metrics) {
        for (const point of metric.points) {
          this.#addPoint(thread, scope, scopeId, metric, point);
          this.#changed = true;
        }
      }
    }
    if (final) {
      for (const stream of this.#streams.values()) {
        const last = stream.threads.get(thread);
        if (last === undefined) continue;
        stream.threads.delete(thread);
        stream.ended = stream.ended === undefined ? last : (add(stream.ended, last) ?? stream.ended);
      }
    }
  }

  #addPoint(thread: number, scope: InstrumentationScope, scopeId: string, metric: MetricData, point: Point): void {
    const key = streamKey(scopeId, metric.name, point.attributes);
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = { scope, metric, pending: undefined, threads: new Map(), ended: undefined };
      this.#streams.set(key, stream);
    } else if (!sameKind(stream.metric, metric)) {
      this.#mismatch(metric.name);
      return;
    }
    if (metric.kind === 'gauge') {
      if (stream.pending === undefined || earlier(stream.pending.time, point.time) === stream.pending.time) stream.pending = point;
    } else if (metric.temporality === Temporality.Delta) {
      stream.pending = stream.pending === undefined ? point : (add(stream.pending, point) ?? stream.pending);
    } else {
      stream.threads.set(thread, point);
    }
  }

  #mismatch(name: string): void {
    if (this.#mismatchReported) return;
    this.#mismatchReported = true;
    diag.debug(`metrics: worker threads report "${name}" as different kinds of metric; only the first kind is kept`);
  }

  /** What each stream adds to this collection; a delta's and a gauge's are taken when `consume`. */
  #totals(consume: boolean): Map<string, { stream: Stream; point: Point }> {
    const totals = new Map<string, { stream: Stream; point: Point }>();
    for (const [key, stream] of this.#streams) {
      let point = stream.pending ?? stream.ended;
      for (const latest of stream.threads.values()) point = point === undefined ? latest : (add(point, latest) ?? point);
      if (point !== undefined) totals.set(key, { stream, point });
      if (consume && stream.pending !== undefined) {
        // Delta and gauge streams live from one report to the next collection.
        this.#streams.delete(key);
      }
    }
    return totals;
  }

  /** The main thread's collection with the workers' streams merged in (a new object; `rm` is not changed). */
  mergeInto(rm: ResourceMetrics, consume: boolean): ResourceMetrics {
    if (consume) this.#changed = false;
    if (this.#streams.size === 0) return rm;
    const totals = this.#totals(consume);
    if (totals.size === 0) return rm;
    const scopes: { scope: InstrumentationScope; id: string; metrics: MetricData[] }[] = [];
    for (const { scope, metrics } of rm.scopeMetrics) {
      const id = scopeKey(scope);
      const merged: MetricData[] = [];
      for (const metric of metrics) {
        const points: Point[] = [];
        for (const point of metric.points) {
          const key = streamKey(id, metric.name, point.attributes);
          const total = totals.get(key);
          if (total === undefined || !sameKind(total.stream.metric, metric)) {
            points.push(point);
            continue;
          }
          totals.delete(key);
          // A gauge's point carries the collection's time, not the measurement's: what a worker reported
          // since the last collection is the news.
          if (metric.kind === 'gauge') points.push(withTime(total.point, point.time));
          else points.push(add(point, total.point, true) ?? point);
        }
        merged.push({ ...metric, points } as MetricData);
      }
      scopes.push({ scope, id, metrics: merged });
    }
    // Streams only workers have: into the metric of the same name where the main thread has one.
    const now = hrNow();
    for (const { stream, point } of totals.values()) {
      const id = scopeKey(stream.scope);
      let scope = scopes.find((s) => s.id === id);
      if (scope === undefined) {
        scope = { scope: stream.scope, id, metrics: [] };
        scopes.push(scope);
      }
      const index = scope.metrics.findIndex((m) => m.name === stream.metric.name && sameKind(m, stream.metric));
      const timed = withTime(point, now);
      if (index === -1) scope.metrics.push({ ...stream.metric, points: [timed] } as MetricData);
      else {
        const metric = scope.metrics[index]!;
        scope.metrics[index] = { ...metric, points: [...metric.points, timed] } as MetricData;
      }
    }
    return { resource: rm.resource, scopeMetrics: scopes.map(({ scope, metrics }) => ({ scope, metrics })) };
  }
}
