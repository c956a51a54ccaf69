// Request bytes -> the receivers' body shape, with the official schema (schema.ts), for protobuf and
// OTLP/JSON alike, so tests cannot tell the two encodings apart:
//   ids (traceId, spanId, parentSpanId, link ids,
//    metric exemplar traceId/spanId)              -> lower-case hex ('' when absent)
//   int64 timestamps                              -> decimal strings (exact)
//   AnyValue intValue                             -> JS number when it is a safe integer, else decimal string
//   AnyValue doubleValue/stringValue/boolValue    -> number / string / boolean; arrayValue -> array;
//   kvlistValue -> plain object; bytesValue -> base64 string; empty AnyValue -> null
//   absent numeric fields -> 0, absent strings -> ''

import { FlagsReq, METRIC_KINDS, TO_OBJECT, TYPES, type OtlpSignal } from './schema.js';

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
