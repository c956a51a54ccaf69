// Everything the viewer has received: decoded Export requests (decode-request.ts) go in, flattened into
// records (records.ts); the API (api.ts) reads them back. Bounded by the view settings.

import { LogStore } from './log-store.js';
import { MetricStore } from './metric-store.js';
import type { OtlpSignal } from './otlp-schema.js';
import { attributesOf, durationMs, hexId, nsToMs, type LogRecord, type MetricPoint, type MetricStream, type SpanRecord } from './records.js';
import { Interned } from './resources.js';
import { TraceStore } from './trace-store.js';

export interface StoreLimits {
  readonly maxSpans: number;
  readonly maxLogs: number;
  /** Points kept per metric stream. */
  readonly maxPoints: number;
}

export const METRIC_KINDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

export class TelemetryStore {
  readonly traces: TraceStore;
  readonly logs: LogStore;
  readonly metrics: MetricStore;
  readonly interned = new Interned();
  /** Bumped on every change: the snapshot file is written only when it moved. */
  version = 0;

  constructor(limits: StoreLimits) {
    this.traces = new TraceStore(limits.maxSpans);
    this.logs = new LogStore(limits.maxLogs);
    this.metrics = new MetricStore(limits.maxPoints);
  }

  /** Takes one decoded request; returns how many items it held. */
  ingest(signal: OtlpSignal, body: any): number {
    this.version++;
    if (signal === 'traces') return this.#spans(body);
    if (signal === 'logs') return this.#logs(body);
    return this.#metrics(body);
  }

  #spans(body: any): number {
    const out: SpanRecord[] = [];
    for (const rs of body?.resourceSpans ?? []) {
      const resource = this.interned.resource(rs.resource);
      for (const ss of rs.scopeSpans ?? []) {
        const scope = this.interned.scope(ss.scope);
        for (const s of ss.spans ?? []) {
          const traceId = hexId(s.traceId);
          if (traceId === '') continue;
          out.push({
            traceId,
            spanId: hexId(s.spanId),
            parentSpanId: hexId(s.parentSpanId),
            name: s.name ?? '',
            kind: s.kind ?? 0,
            startMs: nsToMs(s.startTimeUnixNano),
            durationMs: durationMs(s.startTimeUnixNano, s.endTimeUnixNano),
            statusCode: s.status?.code ?? 0,
            statusMessage: s.status?.message ?? '',
            attributes: attributesOf(s.attributes),
            events: (s.events ?? []).map((e: any) => ({ name: e.name ?? '', timeMs: nsToMs(e.timeUnixNano), attributes: attributesOf(e.attributes) })),
            links: (s.links ?? []).map((l: any) => ({ traceId: hexId(l.traceId), spanId: hexId(l.spanId), attributes: attributesOf(l.attributes) })),
            resource,
            scope,
          });
        }
      }
    }
    this.traces.add(out);
    return out.length;
  }

  #logs(body: any): number {
    const out: LogRecord[] = [];
    for (const rl of body?.resourceLogs ?? []) {
      const resource = this.interned.resource(rl.resource);
      for (const sl of rl.scopeLogs ?? []) {
        const scope = this.interned.scope(sl.scope);
        for (const r of sl.logRecords ?? []) {
          const time = nsToMs(r.timeUnixNano);
          out.push({
            seq: this.logs.nextSeq(),
            timeMs: time !== 0 ? time : nsToMs(r.observedTimeUnixNano),
            severityNumber: r.severityNumber ?? 0,
            severityText: r.severityText ?? '',
            body: attributesOf([{ key: 'b', value: r.body }]).b,
            attributes: attributesOf(r.attributes),
            traceId: hexId(r.traceId),
            spanId: hexId(r.spanId),
            resource,
            scope,
          });
        }
      }
    }
    this.logs.add(out);
    return out.length;
  }

  #metrics(body: any): number {
    let n = 0;
    for (const rm of body?.resourceMetrics ?? []) {
      const resource = this.interned.resource(rm.resource);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          const kind = METRIC_KINDS.find((k) => m[k] !== undefined);
          if (kind === undefined) continue;
          const data = m[kind];
          for (const dp of data.dataPoints ?? []) {
            const attributes = attributesOf(dp.attributes);
            const stream: MetricStream = {
              key: `${resource.id}\0${m.name}\0${JSON.stringify(attributes)}`,
              service: resource.service,
              name: m.name ?? '',
              unit: m.unit ?? '',
              kind,
              temporality: data.aggregationTemporality ?? 0,
              monotonic: data.isMonotonic === true,
              attributes,
            };
            this.metrics.add(stream, pointOf(kind, dp));
            n++;
          }
        }
      }
    }
    return n;
  }
}

function pointOf(kind: (typeof METRIC_KINDS)[number], dp: any): MetricPoint {
  const timeMs = nsToMs(dp.timeUnixNano);
  const startMs = nsToMs(dp.startTimeUnixNano);
  if (kind === 'histogram') {
    return {
      timeMs,
      startMs,
      value: dp.sum ?? 0,
      count: Number(dp.count ?? 0),
      bounds: dp.explicitBounds ?? [],
      counts: (dp.bucketCounts ?? []).map(Number),
    };
  }
  if (kind === 'exponentialHistogram' || kind === 'summary') return { timeMs, startMs, value: dp.sum ?? 0, count: Number(dp.count ?? 0) };
  const value = dp.asDouble !== undefined ? dp.asDouble : Number(dp.asInt ?? 0);
  return { timeMs, startMs, value };
}
