// What the metrics page draws, computed from stored streams (metric-store.ts): per route request rate,
// error rate and latency percentiles from http.server.request.duration; the same per database operation
// from db.client.operation.duration; and a few runtime series. Cumulative streams become per-interval
// deltas here (a count that went down is a restart: the point is taken as is).
// Names and attributes: semconv v1.37+ (HTTP and database stable; runtime metrics still Development).

import type { MetricPoint } from './records.js';
import type { MetricStore, StoredStream } from './metric-store.js';

export interface LatencyPoint {
  /** End of the interval, epoch ms. */
  readonly t: number;
  /** Requests (operations) per second in the interval. */
  readonly rate: number;
  /** Failed share of them, 0..1. */
  readonly errorRate: number;
  /** Milliseconds, interpolated within the histogram buckets; null when no request. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface LatencySeries {
  readonly key: string;
  readonly total: number;
  readonly points: readonly LatencyPoint[];
}

export interface ValueSeries {
  readonly name: string;
  readonly unit: string;
  readonly points: readonly { t: number; v: number }[];
}

interface Delta {
  readonly t: number;
  readonly seconds: number;
  readonly count: number;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** A histogram stream's per-interval deltas. */
function histogramDeltas(stream: StoredStream): Delta[] {
  const out: Delta[] = [];
  let prev: MetricPoint | undefined;
  for (const p of stream.points) {
    const counts = p.counts ?? [];
    const restarted = prev === undefined || (p.count ?? 0) < (prev.count ?? 0) || p.startMs !== prev.startMs;
    if (stream.temporality === 1 || restarted) {
      // A delta point, or the first point of a cumulative stream (or of its restart): it covers start..time.
      out.push({ t: p.timeMs, seconds: Math.max(0.001, (p.timeMs - p.startMs) / 1000), count: p.count ?? 0, bounds: p.bounds ?? [], counts });
    } else {
      const pc = prev!.counts ?? [];
      out.push({
        t: p.timeMs,
        seconds: Math.max(0.001, (p.timeMs - prev!.timeMs) / 1000),
        count: (p.count ?? 0) - (prev!.count ?? 0),
        bounds: p.bounds ?? [],
        counts: counts.map((c, i) => c - (pc[i] ?? 0)),
      });
    }
    prev = p;
  }
  return out;
}

/** The q-quantile (0..1) of bucketed observations, linear within a bucket; the last bucket reports its lower bound. */
export function quantile(bounds: readonly number[], counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const upper = i < bounds.length ? bounds[i]! : lower;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return bounds[bounds.length - 1] ?? null;
}

/** Per group: deltas summed across its streams at each time, then rate, errors and percentiles. */
function latencySeries(streams: readonly StoredStream[], groupOf: (s: StoredStream) => string, failed: (s: StoredStream) => boolean, scale: number): LatencySeries[] {
  const groups = new Map<string, Map<number, { seconds: number; count: number; errors: number; bounds: readonly number[]; counts: number[] }>>();
  for (const stream of streams) {
    const key = groupOf(stream);
    let byTime = groups.get(key);
    if (byTime === undefined) groups.set(key, (byTime = new Map()));
    const isError = failed(stream);
    for (const d of histogramDeltas(stream)) {
      // Streams of one export share its time; a second's rounding joins those that do not quite.
      const t = Math.round(d.t / 1000) * 1000;
      let slot = byTime.get(t);
      if (slot === undefined) byTime.set(t, (slot = { seconds: d.seconds, count: 0, errors: 0, bounds: d.bounds, counts: new Array(d.counts.length).fill(0) }));
      slot.count += d.count;
      if (isError) slot.errors += d.count;
      if (slot.bounds.length === d.bounds.length) for (let i = 0; i < d.counts.length; i++) slot.counts[i]! += d.counts[i]!;
    }
  }
  const out: LatencySeries[] = [];
  for (const [key, byTime] of groups) {
    const points: LatencyPoint[] = [];
    let total = 0;
    for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
      const s = byTime.get(t)!;
      total += s.count;
      const q = (x: number): number | null => {
        const v = quantile(s.bounds, s.counts, x);
        return v === null ? null : v * scale;
      };
      points.push({ t, rate: s.count / s.seconds, errorRate: s.count > 0 ? s.errors / s.count : 0, p50: q(0.5), p95: q(0.95), p99: q(0.99) });
    }
    out.push({ key, total, points });
  }
  return out.sort((a, b) => b.total - a.total);
}

/** Seconds -> ms for durations in `s`; ms stays. */
const toMs = (unit: string): number => (unit === 's' ? 1000 : 1);

/** http.server.request.duration per `{method} {route}`; a 5xx or an error.type counts as an error. */
export function httpServerSeries(store: MetricStore, service?: string): LatencySeries[] {
  const streams = store.streams(service).filter((s) => s.name === 'http.server.request.duration' && s.kind === 'histogram');
  return latencySeries(
    streams,
    (s) => `${String(s.attributes['http.request.method'] ?? '')} ${String(s.attributes['http.route'] ?? '(no route)')}`.trim(),
    (s) => Number(s.attributes['http.response.status_code'] ?? 0) >= 500 || s.attributes['error.type'] !== undefined,
    toMs(streams[0]?.unit ?? 's'),
  );
}

/** db.client.operation.duration per `{db.system.name} {db.operation.name} {db.collection.name}`. */
export function dbClientSeries(store: MetricStore, service?: string): LatencySeries[] {
  const streams = store.streams(service).filter((s) => s.name === 'db.client.operation.duration' && s.kind === 'histogram');
  return latencySeries(
    streams,
    (s) => ['db.system.name', 'db.operation.name', 'db.collection.name'].map((k) => s.attributes[k]).filter((v) => v !== undefined).join(' ') || '(unnamed)',
    (s) => s.attributes['error.type'] !== undefined,
    toMs(streams[0]?.unit ?? 's'),
  );
}

/** Runtime metrics shown as small charts: streams of one name are summed per time (heap spaces, cpu modes). */
const RUNTIME: readonly { name: string; label: string; unit: string; scale: number; rate?: boolean; filter?: (s: StoredStream) => boolean }[] = [
  { name: 'nodejs.eventloop.delay.p99', label: 'event loop delay p99', unit: 'ms', scale: 1000 },
  { name: 'nodejs.eventloop.utilization', label: 'event loop utilization', unit: '%', scale: 100 },
  { name: 'v8js.memory.heap.used', label: 'heap used', unit: 'MB', scale: 1 / 1048576 },
  { name: 'process.memory.usage', label: 'resident memory', unit: 'MB', scale: 1 / 1048576 },
  { name: 'process.cpu.time', label: 'CPU', unit: '%', scale: 100, rate: true },
];

export function runtimeSeries(store: MetricStore, service?: string): ValueSeries[] {
  const all = store.streams(service);
  const out: ValueSeries[] = [];
  for (const r of RUNTIME) {
    const streams = all.filter((s) => s.name === r.name);
    if (streams.length === 0) continue;
    const byTime = new Map<number, number>();
    for (const s of streams) {
      let prev: MetricPoint | undefined;
      for (const p of s.points) {
        let v = p.value;
        if (r.rate === true) {
          if (s.temporality === 2) {
            if (prev === undefined || p.value < prev.value) {
              prev = p;
              continue;
            }
            v = (p.value - prev.value) / Math.max(0.001, (p.timeMs - prev.timeMs) / 1000);
          } else v = p.value / Math.max(0.001, (p.timeMs - p.startMs) / 1000);
        }
        prev = p;
        const t = Math.round(p.timeMs / 1000) * 1000;
        byTime.set(t, (byTime.get(t) ?? 0) + v);
      }
    }
    const points = [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v: v * r.scale }));
    out.push({ name: r.label, unit: r.unit, points });
  }
  return out;
}
