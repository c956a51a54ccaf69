// Real OTLP peers for tests: a gRPC receiver on @grpc/grpc-js and an HTTP receiver on node:http(s).
// Both decode with the OFFICIAL schema (protobufjs static code generated from opentelemetry-proto, shipped in
// @opentelemetry/otlp-transformer@0.57.2), never with our encoder's code.
//
// That generated code predates Span.flags / Span.Link.flags (proto 1.1+), so those two fields are read with a
// small protobufjs schema below that transcribes their field numbers from trace.proto (flags = 16, links = 13,
// Link.flags = 6). Everything else comes from the generated schema.
//
// Decoded-value conventions (the same for both receivers, so tests cannot tell them apart):
//   ids (traceId, spanId, parentSpanId, link ids,
//    metric exemplar traceId/spanId)              -> lower-case hex ('' when absent)
//   int64 timestamps                              -> decimal strings (exact)
//   AnyValue intValue                             -> JS number when it is a safe integer, else decimal string
//   AnyValue doubleValue/stringValue/boolValue    -> number / string / boolean; arrayValue -> array;
//   kvlistValue -> plain object; bytesValue -> base64 string; empty AnyValue -> null
//   absent numeric fields -> 0, absent strings -> ''

import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import * as https from 'node:https';
import { EventEmitter } from 'node:events';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import * as protobuf from 'protobufjs';
import type { InstrumentationScope, Resource } from '../../src/core/types.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as any;
const collector = root.opentelemetry.proto.collector;

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

const TYPES: Record<OtlpSignal, { request: any; response: any; grpcPath: string; httpPath: string; rejectedKey: string }> = {
  traces: {
    request: collector.trace.v1.ExportTraceServiceRequest,
    response: collector.trace.v1.ExportTraceServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    httpPath: '/v1/traces',
    rejectedKey: 'rejectedSpans',
  },
  metrics: {
    request: collector.metrics.v1.ExportMetricsServiceRequest,
    response: collector.metrics.v1.ExportMetricsServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    httpPath: '/v1/metrics',
    rejectedKey: 'rejectedDataPoints',
  },
  logs: {
    request: collector.logs.v1.ExportLogsServiceRequest,
    response: collector.logs.v1.ExportLogsServiceResponse,
    grpcPath: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    httpPath: '/v1/logs',
    rejectedKey: 'rejectedLogRecords',
  },
};

// Span.flags and Link.flags (see the header comment), plus google.rpc.Status / RetryInfo for error responses.
const extra = protobuf.parse(`
syntax = "proto3";
package t;
message Req { repeated RS resource_spans = 1; }
message RS { repeated SS scope_spans = 2; }
message SS { repeated Span spans = 2; }
message Span { repeated Link links = 13; fixed32 flags = 16; }
message Link { fixed32 flags = 6; }
message Any { string type_url = 1; bytes value = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message RetryInfo { Duration retry_delay = 1; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`).root;
const FlagsReq = extra.lookupType('t.Req');
const RpcStatus = extra.lookupType('t.Status');
const RetryInfo = extra.lookupType('t.RetryInfo');

const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

/** A scripted answer for one export call. Unset fields mean "plain success". */
export interface ScriptedResponse {
  /** gRPC status code (0 = OK). gRPC receiver only. */
  readonly grpcCode?: number;
  /** HTTP status (default 200). HTTP receiver only. */
  readonly httpStatus?: number;
  /** grpc-message, or google.rpc.Status.message in an HTTP error body. */
  readonly message?: string;
  /** gRPC: attach google.rpc.RetryInfo with this delay in grpc-status-details-bin. */
  readonly retryDelayMs?: number;
  /** HTTP: Retry-After header value. */
  readonly retryAfter?: string;
  readonly partialSuccess?: { readonly rejected: number; readonly errorMessage: string };
  /** Answer after this many ms. */
  readonly delayMs?: number;
  /** Never answer (until close()). */
  readonly hang?: boolean;
}

export interface ReceivedRequest {
  readonly signal: OtlpSignal;
  readonly path: string;
  /** Lower-case header/metadata names; gRPC binary metadata as base64. */
  readonly headers: Record<string, string>;
  /** gRPC: grpc-encoding was gzip; HTTP: Content-Encoding was gzip. */
  readonly compressed: boolean;
  readonly contentType: string;
  /** The official schema's toObject() output (ids converted to hex), or undefined if decoding failed. */
  readonly body: any;
  readonly decodeError?: string;
  /** Raw request bytes after decompression. */
  readonly raw: Buffer;
  /** Date.now() when the request was complete. */
  readonly receivedAt: number;
  /** Client address:port, to tell connections apart. */
  readonly peer: string;
}

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

// ---- decoding helpers ----

function b64ToHex(v: unknown): string {
  return typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64').toString('hex') : '';
}
function hexToB64(v: unknown): unknown {
  return typeof v === 'string' ? Buffer.from(v, 'hex').toString('base64') : v;
}

/** Rewrites id fields of a toObject()/JSON trace request in place with `conv`. */
function mapTraceIds(body: any, conv: (v: unknown) => unknown): void {
  for (const rs of body?.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const k of ['traceId', 'spanId', 'parentSpanId']) if (span[k] !== undefined) span[k] = conv(span[k]);
        for (const link of span.links ?? []) {
          for (const k of ['traceId', 'spanId']) if (link[k] !== undefined) link[k] = conv(link[k]);
        }
      }
    }
  }
}

const METRIC_KINDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Rewrites exemplar ids of a toObject()/JSON metrics request in place with `conv`. */
function mapExemplarIds(body: any, conv: (v: unknown) => unknown): void {
  for (const rm of body?.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        for (const kind of METRIC_KINDS) {
          for (const dp of metric[kind]?.dataPoints ?? []) {
            for (const ex of dp.exemplars ?? []) {
              for (const k of ['traceId', 'spanId']) if (ex[k] !== undefined) ex[k] = conv(ex[k]);
            }
          }
        }
      }
    }
  }
}

/** Rewrites trace/span ids of a toObject()/JSON logs request in place with `conv`. */
function mapLogIds(body: any, conv: (v: unknown) => unknown): void {
  for (const rl of body?.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const record of sl.logRecords ?? []) {
        for (const k of ['traceId', 'spanId']) if (record[k] !== undefined) record[k] = conv(record[k]);
      }
    }
  }
}

/** Puts Span.flags / Link.flags (absent from the generated schema) into a decoded trace body. */
function addFlagsFromProtobuf(body: any, bytes: Uint8Array): void {
  const f = FlagsReq.toObject(FlagsReq.decode(bytes), { defaults: false, arrays: true }) as any;
  const rss = body?.resourceSpans ?? [];
  (f.resourceSpans ?? []).forEach((rs: any, i: number) =>
    (rs.scopeSpans ?? []).forEach((ss: any, j: number) =>
      (ss.spans ?? []).forEach((sp: any, k: number) => {
        const target = rss[i]?.scopeSpans?.[j]?.spans?.[k];
        if (target === undefined) return;
        if (sp.flags !== undefined) target.flags = sp.flags;
        (sp.links ?? []).forEach((l: any, m: number) => {
          if (l.flags !== undefined && target.links?.[m]) target.links[m].flags = l.flags;
        });
      }),
    ),
  );
}

/** Decodes protobuf request bytes with the official schema, into the receivers' body shape. */
export function decodeProtobuf(signal: OtlpSignal, bytes: Buffer): any {
  const type = TYPES[signal].request;
  const body = type.toObject(type.decode(bytes), TO_OBJECT);
  if (signal === 'traces') {
    mapTraceIds(body, b64ToHex);
    addFlagsFromProtobuf(body, bytes);
  }
  if (signal === 'metrics') mapExemplarIds(body, b64ToHex);
  if (signal === 'logs') mapLogIds(body, b64ToHex);
  return body;
}

/** OTLP/JSON -> official schema via fromObject (ids hex -> base64 first), then the same toObject() view. */
export function decodeJson(signal: OtlpSignal, bytes: Buffer): any {
  const json = JSON.parse(bytes.toString('utf8'));
  const flags: any[] = [];
  if (signal === 'traces') {
    for (const rs of json.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const sp of ss.spans ?? []) flags.push(sp);
    mapTraceIds(json, hexToB64);
  }
  if (signal === 'metrics') mapExemplarIds(json, hexToB64);
  if (signal === 'logs') mapLogIds(json, hexToB64);
  const type = TYPES[signal].request;
  const body = type.toObject(type.fromObject(json), TO_OBJECT);
  if (signal === 'traces') {
    mapTraceIds(body, b64ToHex);
    let n = 0;
    for (const rs of body.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const sp of ss.spans ?? []) {
          const src = flags[n++];
          if (src?.flags !== undefined) sp.flags = src.flags;
          (sp.links ?? []).forEach((l: any, i: number) => {
            if (src?.links?.[i]?.flags !== undefined) l.flags = src.links[i].flags;
          });
        }
      }
    }
  }
  if (signal === 'metrics') mapExemplarIds(body, b64ToHex);
  if (signal === 'logs') mapLogIds(body, b64ToHex);
  return body;
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

function encodeRpcStatus(code: number, message: string, retryDelayMs: number | undefined): Buffer {
  const details: any[] = [];
  if (retryDelayMs !== undefined) {
    const seconds = Math.floor(retryDelayMs / 1000);
    const nanos = (retryDelayMs % 1000) * 1e6;
    details.push({
      // protobufjs.parse camel-cases field names: typeUrl, retryDelay.
      typeUrl: 'type.googleapis.com/google.rpc.RetryInfo',
      value: RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds, nanos } })).finish(),
    });
  }
  return Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message, details })).finish());
}

function signalOfPath(path: string): OtlpSignal {
  if (path.includes('metrics') || path.includes('Metrics')) return 'metrics';
  if (path.includes('logs') || path.includes('Logs')) return 'logs';
  return 'traces';
}

// ---- the shared recording/scripting part ----

export interface TlsServerOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA to verify client certificates (mTLS). */
  readonly ca?: string | Buffer;
  readonly requireClientCert?: boolean;
}

export interface ReceiverOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly tls?: TlsServerOptions;
  /**
   * false: count what arrives (decoded all the same) without keeping the requests, for long load
   * runs; `received` has the counts, `requests` stays empty.
   */
  readonly keep?: boolean;
}

abstract class BaseReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** With keep false: spans, metric data points and log records received, and requests that failed to decode. */
  readonly received = { traces: 0, metrics: 0, logs: 0, undecodable: 0 };
  keep = true;
  #fallback: ScriptedResponse = {};
  port = 0;
  protected readonly events = new EventEmitter();
  protected readonly script: ScriptedResponse[] = [];
  protected readonly timers = new Set<NodeJS.Timeout>();
  protected closed = false;

  /** Queues answers for the next calls, in order; afterwards calls succeed. */
  respond(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  /** Fails the next `n` calls with the same answer. */
  failNext(n: number, response: ScriptedResponse): this {
    for (let i = 0; i < n; i++) this.script.push(response);
    return this;
  }

  /** The answer once the script is used up (a plain success unless set). */
  answerOtherwise(response: ScriptedResponse = {}): void {
    this.#fallback = response;
  }

  protected nextResponse(): ScriptedResponse {
    return this.script.shift() ?? this.#fallback;
  }

  protected record(req: ReceivedRequest): void {
    if (!this.keep) {
      if (req.body === undefined) this.received.undecodable++;
      else if (req.signal === 'traces') this.received.traces += flattenSpans(req.body).length;
      else if (req.signal === 'logs') this.received.logs += flattenLogs(req.body).length;
      else this.received.metrics += flattenMetrics(req.body).reduce((n, m) => n + m.points.length, 0);
      return;
    }
    this.requests.push(req);
    this.events.emit('request', req);
  }

  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Every span received so far, flattened (see the conventions at the top of this file). */
  spans(): FlatSpan[] {
    const out: FlatSpan[] = [];
    for (const r of this.requests) if (r.signal === 'traces' && r.body) out.push(...flattenSpans(r.body));
    return out;
  }

  /** Every metric received so far, flattened (one entry per Metric message, in arrival order). */
  metrics(): FlatMetric[] {
    const out: FlatMetric[] = [];
    for (const r of this.requests) if (r.signal === 'metrics' && r.body) out.push(...flattenMetrics(r.body));
    return out;
  }

  /**
   * Resolves with metrics() once `n` metrics arrived, or once `until(metrics())` is true; rejects after
   * `timeoutMs`.
   */
  waitForMetrics(until: number | ((metrics: FlatMetric[]) => boolean), timeoutMs = 5000): Promise<FlatMetric[]> {
    const ready = typeof until === 'number' ? (): boolean => this.metrics().length >= until : (): boolean => until(this.metrics());
    const goal = typeof until === 'number' ? `/${until} metrics` : ' metrics, predicate unmet';
    return this.#waitFor(ready, () => this.metrics(), timeoutMs, () => `${this.metrics().length}${goal}`);
  }

  /** Every log record received so far, flattened, in arrival order. */
  logs(): FlatLog[] {
    const out: FlatLog[] = [];
    for (const r of this.requests) if (r.signal === 'logs' && r.body) out.push(...flattenLogs(r.body));
    return out;
  }

  /** Resolves with logs() once `n` records arrived, or once `until(logs())` is true; rejects after `timeoutMs`. */
  waitForLogs(until: number | ((logs: FlatLog[]) => boolean), timeoutMs = 5000): Promise<FlatLog[]> {
    const ready = typeof until === 'number' ? (): boolean => this.logs().length >= until : (): boolean => until(this.logs());
    const goal = typeof until === 'number' ? `/${until} log records` : ' log records, predicate unmet';
    return this.#waitFor(ready, () => this.logs(), timeoutMs, () => `${this.logs().length}${goal}`);
  }

  /** Resolves once `n` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(n: number, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    return this.#waitFor(() => this.requests.length >= n, () => this.requests, timeoutMs, () => `${this.requests.length}/${n} requests`);
  }

  /** Resolves once `n` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(n: number, timeoutMs = 5000): Promise<FlatSpan[]> {
    return this.#waitFor(() => this.spans().length >= n, () => this.spans(), timeoutMs, () => `${this.spans().length}/${n} spans`);
  }

  #waitFor<T>(ready: () => boolean, value: () => T, timeoutMs: number, progress: () => string): Promise<T> {
    if (ready()) return Promise.resolve(value());
    return new Promise<T>((resolve, reject) => {
      const onRequest = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(value());
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        reject(new Error(`receiver: timed out after ${timeoutMs} ms with ${progress()}`));
      }, timeoutMs);
      this.events.on('request', onRequest);
    });
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  abstract get url(): string;
  abstract close(): Promise<void>;
}

// ---- gRPC ----

function findIncomingEncoding(call: any): string | undefined {
  for (let c = call, i = 0; c !== undefined && c !== null && i < 10; c = c.nextCall, i++) {
    if (typeof c.incomingEncoding === 'string') return c.incomingEncoding;
  }
  return undefined;
}

const ENCODING_KEY = 'x-test-receiver-grpc-encoding';

/** Copies the call's grpc-encoding (grpc-js strips it from metadata) into a metadata key we can read. */
const encodingInterceptor: grpc.ServerInterceptor = (_desc, call) => {
  const encoding = findIncomingEncoding(call) ?? 'unknown';
  return new grpc.ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (md, nxt) => {
          md.set(ENCODING_KEY, encoding);
          nxt(md);
        },
      }),
  });
};

export class GrpcReceiver extends BaseReceiver {
  readonly #server: grpc.Server;
  readonly #host: string;
  readonly #tls: boolean;
  readonly #hanging = new Set<() => void>();

  private constructor(host: string, tls: boolean) {
    super();
    this.#host = host;
    this.#tls = tls;
    this.#server = new grpc.Server({ interceptors: [encodingInterceptor] });
    for (const signal of Object.keys(TYPES) as OtlpSignal[]) {
      const path = TYPES[signal].grpcPath;
      const identity = (b: Buffer): Buffer => b;
      const definition: grpc.ServiceDefinition = {
        Export: {
          path,
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      };
      this.#server.addService(definition, {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          this.#handle(signal, path, call, callback),
      });
    }
  }

  static async start(opts: ReceiverOptions = {}): Promise<GrpcReceiver> {
    const host = opts.host ?? '127.0.0.1';
    const receiver = new GrpcReceiver(host, opts.tls !== undefined);
    receiver.keep = opts.keep ?? true;
    const creds =
      opts.tls === undefined
        ? grpc.ServerCredentials.createInsecure()
        : grpc.ServerCredentials.createSsl(
            opts.tls.ca === undefined ? null : Buffer.from(opts.tls.ca),
            [{ private_key: Buffer.from(opts.tls.key), cert_chain: Buffer.from(opts.tls.cert) }],
            opts.tls.requireClientCert ?? false,
          );
    receiver.port = await new Promise<number>((resolve, reject) => {
      receiver.#server.bindAsync(`${host}:${opts.port ?? 0}`, creds, (err, port) => (err ? reject(err) : resolve(port)));
    });
    return receiver;
  }

  get url(): string {
    return `${this.#tls ? 'https' : 'http'}://${this.#host}:${this.port}`;
  }

  #handle(signal: OtlpSignal, path: string, call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void {
    const headers: Record<string, string> = {};
    const map = call.metadata.getMap();
    for (const key of Object.keys(map)) {
      const v = map[key];
      headers[key] = Buffer.isBuffer(v) ? v.toString('base64') : String(v);
    }
    const encoding = headers[ENCODING_KEY];
    delete headers[ENCODING_KEY];
    let body: any;
    let decodeError: string | undefined;
    try {
      body = decodeProtobuf(signal, call.request);
    } catch (err) {
      decodeError = (err as Error).message;
    }
    this.record({
      signal,
      path,
      headers,
      compressed: encoding === 'gzip',
      contentType: 'application/grpc',
      body,
      decodeError,
      raw: call.request,
      receivedAt: Date.now(),
      peer: call.getPeer(),
    });

    const r = this.nextResponse();
    const answer = (): void => {
      const code = r.grpcCode ?? 0;
      if (code === 0) {
        const type = TYPES[signal].response;
        const msg = r.partialSuccess
          ? { partialSuccess: { [TYPES[signal].rejectedKey]: r.partialSuccess.rejected, errorMessage: r.partialSuccess.errorMessage } }
          : {};
        callback(null, Buffer.from(type.encode(type.fromObject(msg)).finish()));
        return;
      }
      const metadata = new grpc.Metadata();
      if (r.retryDelayMs !== undefined) {
        metadata.set('grpc-status-details-bin', encodeRpcStatus(code, r.message ?? '', r.retryDelayMs));
      }
      callback({ name: 'Error', message: r.message ?? '', code, details: r.message ?? '', metadata } as grpc.ServiceError, null);
    };
    if (r.hang) {
      this.#hanging.add(answer);
      return;
    }
    if (r.delayMs !== undefined) this.later(r.delayMs, answer);
    else answer();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    this.#hanging.clear();
    this.#server.forceShutdown();
  }
}

// ---- HTTP ----

export class HttpReceiver extends BaseReceiver {
  readonly #server: http.Server;
  readonly #host: string;
  readonly #tls: boolean;
  readonly #hanging = new Set<http.ServerResponse>();

  private constructor(host: string, tls: TlsServerOptions | undefined) {
    super();
    this.#host = host;
    this.#tls = tls !== undefined;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.#handle(req, res);
    this.#server =
      tls === undefined
        ? http.createServer(handler)
        : https.createServer(
            { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requireClientCert ?? false, rejectUnauthorized: tls.requireClientCert ?? false },
            handler,
          );
  }

  static async start(opts: ReceiverOptions = {}): Promise<HttpReceiver> {
    const host = opts.host ?? '127.0.0.1';
    const receiver = new HttpReceiver(host, opts.tls);
    receiver.keep = opts.keep ?? true;
    await new Promise<void>((resolve, reject) => {
      receiver.#server.once('error', reject);
      receiver.#server.listen(opts.port ?? 0, host, () => {
        receiver.#server.off('error', reject);
        resolve();
      });
    });
    receiver.port = (receiver.#server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return `${this.#tls ? 'https' : 'http'}://${this.#host}:${this.port}`;
  }

  /** Full URL for a signal's default path, e.g. http://127.0.0.1:1234/v1/traces. */
  signalUrl(signal: OtlpSignal = 'traces'): string {
    return this.url + TYPES[signal].httpPath;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const signal = signalOfPath(path);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const compressed = /gzip/i.test(headers['content-encoding'] ?? '');
      const contentType = headers['content-type'] ?? '';
      const json = contentType.includes('json');
      let raw = Buffer.concat(chunks);
      let body: any;
      let decodeError: string | undefined;
      try {
        if (compressed) raw = gunzipSync(raw);
        body = json ? decodeJson(signal, raw) : decodeProtobuf(signal, raw);
      } catch (err) {
        decodeError = (err as Error).message;
      }
      const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      this.record({ signal, path, headers, compressed, contentType, body, decodeError, raw, receivedAt: Date.now(), peer });
      const r = this.nextResponse();
      const answer = (): void => this.#answer(res, signal, json, r);
      if (r.hang) {
        this.#hanging.add(res);
        return;
      }
      if (r.delayMs !== undefined) this.later(r.delayMs, answer);
      else answer();
    });
  }

  #answer(res: http.ServerResponse, signal: OtlpSignal, json: boolean, r: ScriptedResponse): void {
    if (res.destroyed) return;
    const status = r.httpStatus ?? 200;
    const headers: Record<string, string> = { 'content-type': json ? 'application/json' : 'application/x-protobuf' };
    if (r.retryAfter !== undefined) headers['retry-after'] = r.retryAfter;
    let payload: Buffer;
    if (status >= 200 && status < 300) {
      const key = TYPES[signal].rejectedKey;
      if (json) {
        payload = Buffer.from(
          JSON.stringify(r.partialSuccess ? { partialSuccess: { [key]: String(r.partialSuccess.rejected), errorMessage: r.partialSuccess.errorMessage } } : {}),
        );
      } else {
        const type = TYPES[signal].response;
        const msg = r.partialSuccess ? { partialSuccess: { [key]: r.partialSuccess.rejected, errorMessage: r.partialSuccess.errorMessage } } : {};
        payload = Buffer.from(type.encode(type.fromObject(msg)).finish());
      }
    } else {
      const message = r.message ?? `status ${status}`;
      payload = json ? Buffer.from(JSON.stringify({ code: 2, message })) : encodeRpcStatus(2, message, undefined);
    }
    headers['content-length'] = String(payload.length);
    res.writeHead(status, headers);
    res.end(payload);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

export function startGrpcReceiver(opts?: ReceiverOptions): Promise<GrpcReceiver> {
  return GrpcReceiver.start(opts);
}

export function startHttpReceiver(opts?: ReceiverOptions): Promise<HttpReceiver> {
  return HttpReceiver.start(opts);
}

// ---- span fixtures for exporter tests ----

export const TEST_RESOURCE: Resource = Object.freeze({ attributes: Object.freeze({ 'service.name': 'otlp-test' }) });
export const TEST_SCOPE: InstrumentationScope = Object.freeze({ name: 'test-scope', version: '1.2.3' });

let spanCounter = 0;

/** A minimal valid ReadableSpan; every field can be overridden. Span ids are unique per call. */
export function makeTestSpan(overrides: Partial<ReadableSpan> = {}): ReadableSpan {
  spanCounter++;
  return {
    name: `span-${spanCounter}`,
    kind: 0,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: spanCounter.toString(16).padStart(16, '0'),
    traceFlags: 1,
    traceState: undefined,
    parentSpanId: undefined,
    parentIsRemote: false,
    startTime: [1_700_000_000, 0],
    endTime: [1_700_000_000, 1_000_000],
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0 },
    scope: TEST_SCOPE,
    resource: TEST_RESOURCE,
    ...overrides,
  };
}
