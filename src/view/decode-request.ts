// An Export request's body -> the official schema's plain-object view (otlp-schema.ts TO_OBJECT), for
// protobuf and OTLP/JSON alike, so the store sees one shape. OTLP/JSON writes trace and span ids as hex
// (not protobuf JSON's base64: otlp/docs/specification.md "JSON Protobuf Encoding"); they are turned into
// bytes before fromObject, which reads int64 from strings or numbers and enums from numbers.

import { gunzipSync } from 'node:zlib';
import { otlpSchema, TO_OBJECT, type OtlpSignal } from './otlp-schema.js';

export type Encoding = 'protobuf' | 'json';

/** The body's encoding from its content type, or undefined when OTLP/HTTP does not define it. */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Undoes `Content-Encoding`/`grpc-encoding`; throws for one we do not know. */
export function inflate(body: Buffer, encoding: string | undefined): Buffer {
  const e = (encoding ?? 'identity').trim().toLowerCase();
  if (e === 'identity' || e === '') return body;
  if (e === 'gzip') return gunzipSync(body);
  throw new UnsupportedEncoding(e);
}

export class UnsupportedEncoding extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported encoding ${JSON.stringify(encoding)}`);
  }
}

const HEX_ID = /^[0-9a-fA-F]*$/;

function hexToBase64(value: unknown): unknown {
  return typeof value === 'string' && HEX_ID.test(value) ? Buffer.from(value, 'hex').toString('base64') : value;
}

function idsToBase64(holder: any, keys: readonly string[]): void {
  for (const key of keys) if (holder[key] !== undefined) holder[key] = hexToBase64(holder[key]);
}

/** Hex ids of an OTLP/JSON body -> base64, in place, where the schema has bytes. */
function jsonIdsToBase64(signal: OtlpSignal, body: any): void {
  const ids = ['traceId', 'spanId'];
  if (signal === 'traces') {
    for (const rs of body?.resourceSpans ?? []) for (const ss of rs?.scopeSpans ?? []) for (const span of ss?.spans ?? []) {
      idsToBase64(span, [...ids, 'parentSpanId']);
      for (const link of span?.links ?? []) idsToBase64(link, ids);
    }
  } else if (signal === 'logs') {
    for (const rl of body?.resourceLogs ?? []) for (const sl of rl?.scopeLogs ?? []) for (const r of sl?.logRecords ?? []) idsToBase64(r, ids);
  } else {
    for (const rm of body?.resourceMetrics ?? []) for (const sm of rm?.scopeMetrics ?? []) for (const m of sm?.metrics ?? []) {
      for (const kind of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) {
        for (const dp of m?.[kind]?.dataPoints ?? []) for (const ex of dp?.exemplars ?? []) idsToBase64(ex, ids);
      }
    }
  }
}

/** Decodes an Export request (already inflated); throws on a malformed body. */
export function decodeExport(signal: OtlpSignal, body: Buffer, encoding: Encoding): any {
  const type = otlpSchema()[signal].request;
  if (encoding === 'protobuf') return type.toObject(type.decode(body), TO_OBJECT);
  const json = JSON.parse(body.toString('utf8'));
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('an OTLP/JSON body is an object');
  jsonIdsToBase64(signal, json);
  return type.toObject(type.fromObject(json), TO_OBJECT);
}

/** The empty success response, in the request's encoding. */
export function encodeSuccess(signal: OtlpSignal, encoding: Encoding): Buffer {
  if (encoding === 'json') return Buffer.from('{}');
  const type = otlpSchema()[signal].response;
  return Buffer.from(type.encode(type.create({})).finish());
}
