// Decoded request bodies (decode.ts) flattened to one entry per span, log record or metric, with the
// resource and scope each came with: what tests assert on.

import { METRIC_KINDS } from './schema.js';

export interface FlatEvent {
  name: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
}
export interface FlatLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
  flags: number;
}
export interface FlatSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  /** Span.flags; undefined if the sender did not set it. */
  flags: number | undefined;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
  events: FlatEvent[];
  droppedEventsCount: number;
  links: FlatLink[];
  droppedLinksCount: number;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
  resourceSchemaUrl: string;
  scope: { name: string; version: string };
  scopeSchemaUrl: string;
}

/** A metric exemplar, ids in hex ('' when absent); valueType says which oneof member was set. */
export interface FlatExemplar {
  timeUnixNano: string;
  value: number | string | undefined;
  valueType: 'int' | 'double' | undefined;
  traceId: string;
  spanId: string;
  filteredAttributes: Record<string, unknown>;
}
/**
 * One data point. Number points (sum, gauge) carry value/valueType; histogram points carry count, sum,
 * min, max, bucketCounts and explicitBounds. int64/fixed64 values are numbers when safe, else decimal strings.
 */
export interface FlatMetricPoint {
  attributes: Record<string, unknown>;
  startTimeUnixNano: string;
  timeUnixNano: string;
  value?: number | string;
  valueType?: 'int' | 'double';
  count?: number | string;
  /** undefined when the optional field was not sent. */
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
  exemplars: FlatExemplar[];
  flags: number;
}
export interface FlatMetric {
  name: string;
  description: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary' | '';
  /** AggregationTemporality number (0 for gauges). */
  temporality: number;
  isMonotonic: boolean;
  points: FlatMetricPoint[];
  resource: Record<string, unknown>;
  resourceSchemaUrl: string;
  scope: { name: string; version: string };
  scopeSchemaUrl: string;
}

export function plainValue(v: any): unknown {
  if (v === undefined || v === null) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(plainValue);
  if ('kvlistValue' in v) return plainAttributes(v.kvlistValue.values);
  if ('bytesValue' in v) return v.bytesValue;
  return null;
}

export function plainAttributes(kvs: any[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) out[kv.key] = plainValue(kv.value);
  return out;
}

/** Flattens a decoded trace request body (as in ReceivedRequest.body). */
export function flattenSpans(body: any): FlatSpan[] {
  const out: FlatSpan[] = [];
  for (const rs of body?.resourceSpans ?? []) {
    const resource = plainAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          name: s.name ?? '',
          traceId: s.traceId ?? '',
          spanId: s.spanId ?? '',
          parentSpanId: s.parentSpanId ?? '',
          traceState: s.traceState ?? '',
          flags: s.flags,
          kind: s.kind ?? 0,
          startTimeUnixNano: String(s.startTimeUnixNano ?? '0'),
          endTimeUnixNano: String(s.endTimeUnixNano ?? '0'),
          attributes: plainAttributes(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount ?? 0,
          events: (s.events ?? []).map((e: any) => ({
            name: e.name ?? '',
            timeUnixNano: String(e.timeUnixNano ?? '0'),
            attributes: plainAttributes(e.attributes),
            droppedAttributesCount: e.droppedAttributesCount ?? 0,
          })),
          droppedEventsCount: s.droppedEventsCount ?? 0,
          links: (s.links ?? []).map((l: any) => ({
            traceId: l.traceId ?? '',
            spanId: l.spanId ?? '',
            traceState: l.traceState ?? '',
            attributes: plainAttributes(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount ?? 0,
            flags: l.flags ?? 0,
          })),
          droppedLinksCount: s.droppedLinksCount ?? 0,
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
          resource,
          resourceSchemaUrl: rs.schemaUrl ?? '',
          scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
          scopeSchemaUrl: ss.schemaUrl ?? '',
        });
      }
    }
  }
  return out;
}

/** int64/fixed64 from toObject({ longs: String }) (or JSON): a number when safe, else the decimal string. */
function int64Value(v: unknown): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : String(v);
}

function numberValue(p: any): { value?: number | string; valueType?: 'int' | 'double' } {
  if (p.asInt !== undefined && p.asInt !== null) return { value: int64Value(p.asInt), valueType: 'int' };
  if (p.asDouble !== undefined && p.asDouble !== null) return { value: Number(p.asDouble), valueType: 'double' };
  return {};
}

function optionalDouble(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : Number(v);
}

/** One LogRecord with its resource and scope, ids as lower-case hex ('' when absent). */
export interface FlatLog {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  /** The body as a plain value (string, number, map, array...), null when absent. */
  readonly body: unknown;
  readonly attributes: Record<string, unknown>;
  readonly droppedAttributesCount: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: number;
  readonly resource: Record<string, unknown>;
  readonly scope: { readonly name: string; readonly version: string };
}

/** Flattens a decoded logs request body (as in ReceivedRequest.body). */
export function flattenLogs(body: any): FlatLog[] {
  const out: FlatLog[] = [];
  for (const rl of body?.resourceLogs ?? []) {
    const resource = plainAttributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      const scope = { name: sl.scope?.name ?? '', version: sl.scope?.version ?? '' };
      for (const r of sl.logRecords ?? []) {
        out.push({
          timeUnixNano: String(r.timeUnixNano ?? '0'),
          observedTimeUnixNano: String(r.observedTimeUnixNano ?? '0'),
          severityNumber: r.severityNumber ?? 0,
          severityText: r.severityText ?? '',
          body: r.body === undefined ? null : plainValue(r.body),
          attributes: plainAttributes(r.attributes),
          droppedAttributesCount: r.droppedAttributesCount ?? 0,
          traceId: r.traceId ?? '',
          spanId: r.spanId ?? '',
          flags: r.flags ?? 0,
          resource,
          scope,
        });
      }
    }
  }
  return out;
}

/** Flattens a decoded metrics request body (as in ReceivedRequest.body): one entry per Metric message. */
export function flattenMetrics(body: any): FlatMetric[] {
  const out: FlatMetric[] = [];
  for (const rm of body?.resourceMetrics ?? []) {
    const resource = plainAttributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = METRIC_KINDS.find((k) => m[k] !== undefined && m[k] !== null) ?? '';
        const data = kind === '' ? {} : m[kind];
        out.push({
          name: m.name ?? '',
          description: m.description ?? '',
          unit: m.unit ?? '',
          kind,
          temporality: data.aggregationTemporality ?? 0,
          isMonotonic: data.isMonotonic ?? false,
          points: (data.dataPoints ?? []).map((p: any): FlatMetricPoint => {
            const point: FlatMetricPoint = {
              attributes: plainAttributes(p.attributes),
              startTimeUnixNano: String(p.startTimeUnixNano ?? '0'),
              timeUnixNano: String(p.timeUnixNano ?? '0'),
              ...(kind === 'sum' || kind === 'gauge' ? numberValue(p) : {}),
              exemplars: (p.exemplars ?? []).map((e: any): FlatExemplar => {
                const v = numberValue(e);
                return {
                  timeUnixNano: String(e.timeUnixNano ?? '0'),
                  value: v.value,
                  valueType: v.valueType,
                  traceId: e.traceId ?? '',
                  spanId: e.spanId ?? '',
                  filteredAttributes: plainAttributes(e.filteredAttributes),
                };
              }),
              flags: p.flags ?? 0,
            };
            if (kind === 'histogram' || kind === 'exponentialHistogram' || kind === 'summary') {
              point.count = int64Value(p.count ?? 0);
              point.sum = optionalDouble(p.sum);
              point.min = optionalDouble(p.min);
              point.max = optionalDouble(p.max);
            }
            if (kind === 'histogram') {
              point.bucketCounts = (p.bucketCounts ?? []).map(int64Value);
              point.explicitBounds = (p.explicitBounds ?? []).map(Number);
            }
            return point;
          }),
          resource,
          resourceSchemaUrl: rm.schemaUrl ?? '',
          scope: { name: sm.scope?.name ?? '', version: sm.scope?.version ?? '' },
          scopeSchemaUrl: sm.schemaUrl ?? '',
        });
      }
    }
  }
  return out;
}
