// OTLP/JSON for traces (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
// lowerCamelCase keys, trace/span ids as hex strings, enums as integers, 64-bit integers as decimal strings,
// default values omitted. Built as one string (no intermediate object tree), then UTF-8 encoded.

import type { Attributes, HrTime, InstrumentationScope, ReadableSpan, Resource } from '../../../trace/span-data.js';
import { groupByResourceAndScope } from '../encode-protobuf/trace.js';

const INT64_MIN = -9223372036854775808;
const INT64_MAX_EXCLUSIVE = 9223372036854775808;
// sec * 1e9 + ns stays below 2^53 while sec < 9_007_199.
const EXACT_SEC_LIMIT = 9_007_199;
const NINE_ZEROS = '000000000';

/** Exact decimal string of the epoch nanoseconds in `time` (sec * 1e9 + ns can exceed 2^53). */
export function hrTimeToDecimalNanos(time: HrTime): string {
  let sec = Math.trunc(time[0]);
  let ns = Math.trunc(time[1]);
  if (!Number.isFinite(sec) || !Number.isFinite(ns)) return '0';
  if (ns < 0 || ns >= 1e9) {
    const carry = Math.floor(ns / 1e9);
    sec += carry;
    ns -= carry * 1e9;
  }
  if (sec < 0) return '0';
  if (sec < EXACT_SEC_LIMIT) return String(sec * 1e9 + ns);
  const nsStr = String(ns);
  return String(sec) + NINE_ZEROS.slice(nsStr.length) + nsStr;
}

function anyValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return '{"stringValue":' + JSON.stringify(value) + '}';
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        // String() rounds integers above 2^53 to their shortest form (2**60 -> ...847000): use the exact value.
        return '{"intValue":"' + (Number.isSafeInteger(value) ? String(value) : BigInt(value).toString()) + '"}';
      }
      // proto3 JSON spells non-finite doubles as strings.
      if (Number.isNaN(value)) return '{"doubleValue":"NaN"}';
      if (value === Infinity) return '{"doubleValue":"Infinity"}';
      if (value === -Infinity) return '{"doubleValue":"-Infinity"}';
      return '{"doubleValue":' + String(value) + '}';
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'object':
      if (value === null) return '{}';
      if (Array.isArray(value)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += anyValue(value[i]);
        }
        return out + ']}}';
      }
      if (value instanceof Uint8Array) {
        return '{"bytesValue":"' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') + '"}';
      }
      return '{}';
    default:
      return '{}';
  }
}

/** `"attributes":[...]` with a leading comma, or '' when there are none. */
function attributesField(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = attributes[key];
    if (value === undefined) continue;
    out += (out === '' ? ',"attributes":[' : ',') + '{"key":' + JSON.stringify(key) + ',"value":' + anyValue(value) + '}';
  }
  return out === '' ? '' : out + ']';
}

function resourceJson(resource: Resource): string {
  const attrs = attributesField(resource.attributes);
  // attrs starts with a comma; drop it inside the object.
  return '{' + attrs.slice(1) + '}';
}

function scopeJson(scope: InstrumentationScope): string {
  let out = '';
  if (scope.name) out += ',"name":' + JSON.stringify(scope.name);
  if (scope.version) out += ',"version":' + JSON.stringify(scope.version);
  return '{' + out.slice(1) + '}';
}

function spanJson(span: ReadableSpan): string {
  let out = '{"traceId":"' + span.traceId + '","spanId":"' + span.spanId + '"';
  if (span.traceState) out += ',"traceState":' + JSON.stringify(span.traceState);
  if (span.parentSpanId) out += ',"parentSpanId":"' + span.parentSpanId + '"';
  out += ',"flags":' + ((span.traceFlags & 0xff) | 0x100 | (span.parentIsRemote ? 0x200 : 0));
  if (span.name) out += ',"name":' + JSON.stringify(span.name);
  if (span.kind >= 0 && span.kind <= 4) out += ',"kind":' + (span.kind + 1);
  out +=
    ',"startTimeUnixNano":"' +
    hrTimeToDecimalNanos(span.startTime) +
    '","endTimeUnixNano":"' +
    hrTimeToDecimalNanos(span.endTime) +
    '"';
  out += attributesField(span.attributes);
  if (span.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + span.droppedAttributesCount;
  const events = span.events;
  if (events.length > 0) {
    out += ',"events":[';
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (i > 0) out += ',';
      out += '{"timeUnixNano":"' + hrTimeToDecimalNanos(ev.time) + '"';
      if (ev.name) out += ',"name":' + JSON.stringify(ev.name);
      out += attributesField(ev.attributes);
      if (ev.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + ev.droppedAttributesCount;
      out += '}';
    }
    out += ']';
  }
  if (span.droppedEventsCount > 0) out += ',"droppedEventsCount":' + span.droppedEventsCount;
  const links = span.links;
  if (links.length > 0) {
    out += ',"links":[';
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      if (i > 0) out += ',';
      // Link ids can come from user code: quote them properly rather than trusting them to be hex.
      out += '{"traceId":' + JSON.stringify(link.traceId) + ',"spanId":' + JSON.stringify(link.spanId);
      if (link.traceState) out += ',"traceState":' + JSON.stringify(link.traceState);
      out += attributesField(link.attributes);
      if (link.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + link.droppedAttributesCount;
      const flags = link.traceFlags & 0xff;
      if (flags !== 0) out += ',"flags":' + flags;
      out += '}';
    }
    out += ']';
  }
  if (span.droppedLinksCount > 0) out += ',"droppedLinksCount":' + span.droppedLinksCount;
  const status = span.status;
  if (status.code !== 0 || status.message) {
    let s = '';
    if (status.message) s += ',"message":' + JSON.stringify(status.message);
    if (status.code !== 0) s += ',"code":' + status.code;
    out += ',"status":{' + s.slice(1) + '}';
  }
  return out + '}';
}

/** The ExportTraceServiceRequest as an OTLP/JSON string. */
export function encodeTraceRequestJsonString(spans: readonly ReadableSpan[]): string {
  let out = '{"resourceSpans":[';
  let firstResource = true;
  for (const [resource, groups] of groupByResourceAndScope(spans)) {
    if (!firstResource) out += ',';
    firstResource = false;
    out += '{"resource":' + resourceJson(resource) + ',"scopeSpans":[';
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      if (g > 0) out += ',';
      out += '{"scope":' + scopeJson(group.scope) + ',"spans":[';
      const list = group.items;
      for (let i = 0; i < list.length; i++) {
        if (i > 0) out += ',';
        out += spanJson(list[i]);
      }
      out += ']';
      if (group.scope.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(group.scope.schemaUrl);
      out += '}';
    }
    out += ']';
    if (resource.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(resource.schemaUrl);
    out += '}';
  }
  return out + ']}';
}

/** The ExportTraceServiceRequest as OTLP/JSON, UTF-8 encoded. */
export function encodeTraceRequestJson(spans: readonly ReadableSpan[]): Uint8Array {
  return Buffer.from(encodeTraceRequestJsonString(spans), 'utf8');
}
