// Hand-written protobuf writers for opentelemetry/proto/common/v1 and resource/v1, shared by every signal.
// They write straight from our own data objects onto our Writer (writer.ts): no intermediate message
// objects, no reflection. Field numbers are from common.proto and resource.proto. Responses are decoded
// with protobufjs's Reader.

import { Reader } from 'protobufjs/minimal';
import { Writer } from './writer.js';
import type { Attributes, HrTime, InstrumentationScope, Resource } from '../../../core/types.js';
import { sharedSet } from '../../../core/shared-attributes.js';

// Tags: (field_number << 3) | wire_type. Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
// KeyValue
const KV_KEY = 10; // 1: string
const KV_VALUE = 18; // 2: AnyValue
// AnyValue (oneof)
const AV_STRING = 10; // 1: string
const AV_BOOL = 16; // 2: bool
const AV_INT = 24; // 3: int64
const AV_DOUBLE = 33; // 4: double
const AV_ARRAY = 42; // 5: ArrayValue
const AV_KVLIST = 50; // 6: KeyValueList
const AV_BYTES = 58; // 7: bytes
// ArrayValue
const ARRAY_VALUES = 10; // 1: repeated AnyValue
// KeyValueList
const KVLIST_VALUES = 10; // 1: repeated KeyValue
// Resource
const RESOURCE_ATTRIBUTES = 10; // 1: repeated KeyValue
// InstrumentationScope
const SCOPE_NAME = 10; // 1: string
const SCOPE_VERSION = 18; // 2: string

const hasOwn = Object.prototype.hasOwnProperty;
/**
 * A shared set's bytes are kept up to this size (a database operation's is 150 to 300 bytes); longer ones
 * (an ORM's 10 KB query text) are written each time rather than held twice, once as text and once as bytes.
 */
const MAX_KEPT_SET_BYTES = 1024;

// The int64 range as doubles; integral doubles outside it (1e300) go out as double_value.
const INT64_MIN = -9223372036854775808;
const INT64_MAX_EXCLUSIVE = 9223372036854775808;
const TWO_POW_32 = 4294967296;

/** Writes one AnyValue message body (without tag/length): attribute values, log bodies, maps. */
export function writeAnyValueBody(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.uint32(AV_STRING).string(value);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        // A non-negative int64 below 2^32 has the same varint bytes as a uint32, without LongBits allocation.
        if (value >= 0 && value < TWO_POW_32) w.uint32(AV_INT).uint32(value);
        else w.uint32(AV_INT).int64(value);
      } else {
        w.uint32(AV_DOUBLE).double(value);
      }
      return;
    case 'boolean':
      w.uint32(AV_BOOL).bool(value);
      return;
    case 'object':
      if (value === null) return; // empty AnyValue
      if (Array.isArray(value)) {
        w.uint32(AV_ARRAY).fork();
        for (let i = 0; i < value.length; i++) {
          w.uint32(ARRAY_VALUES).fork();
          writeAnyValueBody(w, value[i]);
          w.ldelim();
        }
        w.ldelim();
        return;
      }
      if (value instanceof Uint8Array) {
        w.uint32(AV_BYTES).bytes(value);
        return;
      }
      // A map (log bodies and log attributes may nest; span attributes never reach here).
      w.uint32(AV_KVLIST).fork();
      writeAttributes(w, KVLIST_VALUES, value as Attributes);
      w.ldelim();
      return;
    default:
      // undefined inside arrays, bigint, functions: an empty AnyValue keeps array positions intact.
      return;
  }
}

/**
 * Writes `attributes` as repeated KeyValue under `tag` (length-delimited field). Undefined values are skipped.
 * A shared set (core/shared-attributes.ts) is written once and its bytes copied from then on.
 */
export function writeAttributes(w: Writer, tag: number, attributes: Attributes): void {
  const shared = sharedSet(attributes);
  if (shared === undefined) {
    writeEachAttribute(w, tag, attributes);
    return;
  }
  const encoded = shared.encoded;
  if (encoded !== undefined && shared.encodedTag === tag) {
    w.raw(encoded);
    return;
  }
  const start = w.pos;
  writeEachAttribute(w, tag, attributes);
  if (encoded === undefined && w.pos - start <= MAX_KEPT_SET_BYTES) {
    shared.encoded = Uint8Array.prototype.slice.call(w.buf, start, w.pos);
    shared.encodedTag = tag;
  }
}

function writeEachAttribute(w: Writer, tag: number, attributes: Attributes): void {
  // for-in over own keys, as Object.keys lists them, without the array Object.keys makes (~100 B a span).
  for (const key in attributes) {
    if (!hasOwn.call(attributes, key)) continue;
    const value = attributes[key];
    if (value === undefined) continue;
    w.uint32(tag).fork();
    w.uint32(KV_KEY).string(key);
    w.uint32(KV_VALUE).fork();
    writeAnyValueBody(w, value);
    w.ldelim();
    w.ldelim();
  }
}

/** Writes a Resource message (with its tag) under `tag`. */
export function writeResource(w: Writer, tag: number, resource: Resource): void {
  w.uint32(tag).fork();
  writeAttributes(w, RESOURCE_ATTRIBUTES, resource.attributes);
  w.ldelim();
}

/** Writes an InstrumentationScope message (with its tag) under `tag`. */
export function writeScope(w: Writer, tag: number, scope: InstrumentationScope): void {
  w.uint32(tag).fork();
  if (scope.name) w.uint32(SCOPE_NAME).string(scope.name);
  if (scope.version) w.uint32(SCOPE_VERSION).string(scope.version);
  w.ldelim();
}

// ---- fixed64 nanosecond timestamps from HrTime, exact without BigInt ----

const TWO_POW_23 = 8388608;
// 1e9 = 2^9 * 1953125, so sec * 1e9 = (sec * 1953125) * 2^9. sec * 1953125 stays below 2^53 (exact) for
// sec < 4_611_686_018 (year 2116); beyond that we fall back to BigInt.
const FAST_SEC_LIMIT = 4_611_686_018;

/**
 * Writes `time` as the 8 little-endian bytes of a fixed64 nanosecond count (the caller writes the tag).
 * sec * 1e9 + ns exceeds 2^53, so the halves are computed with exact integer arithmetic.
 */
export function writeFixed64Time(w: Writer, time: HrTime): void {
  writeFixed64SecNs(w, time[0], time[1]);
}

/** writeFixed64Time of [sec, ns], without the array. */
export function writeFixed64SecNs(w: Writer, sec: number, ns: number): void {
  if (sec >= 0 && sec < FAST_SEC_LIMIT && ns >= 0 && ns < TWO_POW_32) {
    const m = sec * 1953125; // exact integer < 2^53
    const mHi = Math.floor(m / TWO_POW_23);
    const t = (m - mHi * TWO_POW_23) * 512 + ns; // < 2^32 + 2^32, exact
    if (t >= TWO_POW_32) writeFixed64(w, t - TWO_POW_32, mHi + 1);
    else writeFixed64(w, t, mHi);
    return;
  }
  writeFixed64TimeSlow(w, sec, ns);
}

/** The 8 bytes of a fixed64 from its uint32 halves, stored in place (no number boxing across calls). */
export function writeFixed64(w: Writer, lo: number, hi: number): void {
  const at = w.claim(8);
  const buf = w.buf;
  buf[at] = lo;
  buf[at + 1] = lo >>> 8;
  buf[at + 2] = lo >>> 16;
  buf[at + 3] = lo >>> 24;
  buf[at + 4] = hi;
  buf[at + 5] = hi >>> 8;
  buf[at + 6] = hi >>> 16;
  buf[at + 7] = hi >>> 24;
}

function writeFixed64TimeSlow(w: Writer, sec: number, ns: number): void {
  let total: bigint;
  try {
    total = BigInt(Math.trunc(sec)) * 1_000_000_000n + BigInt(Math.trunc(ns));
  } catch {
    total = 0n; // NaN / Infinity
  }
  if (total < 0n) total = 0n;
  total = BigInt.asUintN(64, total);
  writeFixed64(w, Number(total & 0xffffffffn), Number(total >> 32n));
}

/** The two uint32 halves of the nanosecond count, as writeFixed64Time writes them (exported for tests). */
export function hrTimeToFixed64Halves(time: HrTime): [lo: number, hi: number] {
  const w = Writer.create();
  writeFixed64Time(w, time);
  const b = w.finish();
  return [
    (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0,
    (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0,
  ];
}

// ---- ids: lower-case (or upper-case) hex -> bytes, decoded straight into the buffer ----

const HEX = new Uint8Array(256);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
  HEX[65 + i] = 10 + i;
}

/**
 * Writes a hex id as a `bytes` field under `tag`: 32 hex chars (trace id) become 16 bytes, 16 (span id)
 * become 8; an odd trailing nibble is dropped.
 */
export function writeHexId(w: Writer, tag: number, hex: string): void {
  const n = hex.length >>> 1;
  w.uint32(tag).uint32(n);
  const at = w.claim(n);
  const buf = w.buf;
  for (let i = 0; i < n; i++) buf[at + i] = (HEX[hex.charCodeAt(2 * i)] << 4) | HEX[hex.charCodeAt(2 * i + 1)];
}

// ---- responses ----

export interface PartialSuccess {
  /** rejected_spans / rejected_data_points / rejected_log_records (int64; exact up to 2^53). */
  readonly rejected: number;
  readonly errorMessage: string;
}

/**
 * Reads `partial_success` from an Export{Trace,Metrics,Logs}ServiceResponse. All three share the layout
 * `partial_success = 1 { int64 rejected_* = 1; string error_message = 2; }`.
 * Returns undefined when the field is absent. Throws on malformed input.
 */
export function decodePartialSuccess(bytes: Uint8Array): PartialSuccess | undefined {
  const r = Reader.create(bytes);
  let result: PartialSuccess | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 10) {
      const end = r.uint32() + r.pos;
      let rejected = 0;
      let errorMessage = '';
      while (r.pos < end) {
        const t = r.uint32();
        if (t === 8) rejected = longToNumber(r.int64());
        else if (t === 18) errorMessage = r.string();
        else r.skipType(t & 7);
      }
      result = { rejected, errorMessage };
    } else {
      r.skipType(tag & 7);
    }
  }
  return result;
}

/** protobufjs returns Long when the `long` package is present, a number otherwise. */
export function longToNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return Number(v);
}

// ---- google.rpc.Status (gRPC grpc-status-details-bin, OTLP/HTTP error bodies) ----

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  /** From a google.rpc.RetryInfo detail, when present. */
  readonly retryDelayMs?: number;
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * Decodes google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 * and, among the details, google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }.
 * Throws on malformed input.
 */
export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  const r = Reader.create(bytes);
  let code = 0;
  let message = '';
  let retryDelayMs: number | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 8) code = r.int32();
    else if (tag === 18) message = r.string();
    else if (tag === 26) {
      const end = r.uint32() + r.pos;
      let typeUrl = '';
      let value: Uint8Array | undefined;
      while (r.pos < end) {
        const t = r.uint32();
        if (t === 10) typeUrl = r.string();
        else if (t === 18) value = r.bytes();
        else r.skipType(t & 7);
      }
      if (typeUrl === RETRY_INFO_TYPE_URL && value !== undefined) {
        const delay = decodeRetryInfoDelayMs(value);
        if (delay !== undefined) retryDelayMs = delay;
      }
    } else r.skipType(tag & 7);
  }
  return retryDelayMs === undefined ? { code, message } : { code, message, retryDelayMs };
}

function decodeRetryInfoDelayMs(bytes: Uint8Array): number | undefined {
  const r = Reader.create(bytes);
  let result: number | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 10) {
      const end = r.uint32() + r.pos;
      let seconds = 0;
      let nanos = 0;
      while (r.pos < end) {
        const t = r.uint32();
        if (t === 8) seconds = longToNumber(r.int64());
        else if (t === 16) nanos = r.int32();
        else r.skipType(t & 7);
      }
      result = Math.max(0, seconds * 1000 + Math.floor(nanos / 1e6));
    } else r.skipType(tag & 7);
  }
  return result;
}
