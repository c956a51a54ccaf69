// What the viewer keeps: decoded Export requests (decode-request.ts) flattened into spans, log records and
// metric points that the page can show without knowing OTLP. Ids are lower-case hex, times are epoch
// milliseconds as numbers (sub-microsecond precision is not needed to draw), durations are exact.

export type Attributes = Record<string, unknown>;

export interface ResourceInfo {
  readonly id: number;
  readonly service: string;
  readonly attributes: Attributes;
}

export interface ScopeInfo {
  readonly name: string;
  readonly version?: string;
}

export interface SpanEvent {
  readonly name: string;
  readonly timeMs: number;
  readonly attributes: Attributes;
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
}

export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** SpanKind as in trace.proto: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startMs: number;
  readonly durationMs: number;
  /** Status code as in trace.proto: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly resource: ResourceInfo;
  readonly scope: ScopeInfo;
}

export interface LogRecord {
  /** Arrival order, unique: the page's key and the API's paging cursor. */
  readonly seq: number;
  readonly timeMs: number;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: unknown;
  readonly attributes: Attributes;
  readonly traceId: string;
  readonly spanId: string;
  readonly resource: ResourceInfo;
  readonly scope: ScopeInfo;
}

/** One data point of a metric stream. Histograms keep their buckets so percentiles can be taken later. */
export interface MetricPoint {
  readonly timeMs: number;
  readonly startMs: number;
  /** sum / gauge: the value; histogram: the sum of the observations. */
  readonly value: number;
  readonly count?: number;
  readonly bounds?: readonly number[];
  readonly counts?: readonly number[];
}

export interface MetricStream {
  readonly key: string;
  readonly service: string;
  readonly name: string;
  readonly unit: string;
  readonly kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';
  /** AggregationTemporality of metrics.proto: 1 delta, 2 cumulative (0 for gauges). */
  readonly temporality: number;
  readonly monotonic: boolean;
  readonly attributes: Attributes;
}

/** An AnyValue (common.proto) as a plain value: kvlists become objects, bytes stay base64. */
export function anyValue(v: any): unknown {
  if (v === null || typeof v !== 'object') return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributesOf(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

export function attributesOf(list: readonly any[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) if (typeof kv?.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

export function hexId(base64: unknown): string {
  return typeof base64 === 'string' && base64 !== '' ? Buffer.from(base64, 'base64').toString('hex') : '';
}

/** Epoch nanoseconds (decimal string) -> epoch milliseconds. */
export function nsToMs(ns: unknown): number {
  return ns === undefined || ns === null || ns === '' ? 0 : Number(ns) / 1e6;
}

/** end - start in milliseconds, exact to the nanosecond before the division. */
export function durationMs(startNs: unknown, endNs: unknown): number {
  try {
    const d = BigInt(String(endNs ?? 0)) - BigInt(String(startNs ?? 0));
    return d > 0n ? Number(d) / 1e6 : 0;
  } catch {
    return 0;
  }
}
