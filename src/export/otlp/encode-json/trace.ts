// OTLP/JSON for traces (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
// lowerCamelCase keys, trace/span ids as hex strings, enums as integers, 64-bit integers as decimal strings,
// default values omitted. Built as one string (no intermediate object tree), then UTF-8 encoded.

import type { ReadableSpan } from '../../../trace/span-data.js';
import type { TraceItem } from '../encode-protobuf/trace.js';
import { attributesField, groupedRequestJson, hrTimeToDecimalNanos } from './common.js';


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
  out += attributesField('attributes', span.attributes);
  if (span.droppedAttributesCount > 0) out += ',"droppedAttributesCount":' + span.droppedAttributesCount;
  const events = span.events;
  if (events.length > 0) {
    out += ',"events":[';
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (i > 0) out += ',';
      out += '{"timeUnixNano":"' + hrTimeToDecimalNanos(ev.time) + '"';
      if (ev.name) out += ',"name":' + JSON.stringify(ev.name);
      out += attributesField('attributes', ev.attributes);
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
      out += attributesField('attributes', link.attributes);
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

const TRACE_KEYS = { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' };

/** The ExportTraceServiceRequest as an OTLP/JSON string. Throws on a span encoded ahead (protobuf bytes). */
export function encodeTraceRequestJsonString(spans: readonly TraceItem[]): string {
  return groupedRequestJson(TRACE_KEYS, spans, spanJson);
}

/** The ExportTraceServiceRequest as OTLP/JSON, UTF-8 encoded. */
export function encodeTraceRequestJson(spans: readonly TraceItem[]): Uint8Array {
  return Buffer.from(encodeTraceRequestJsonString(spans), 'utf8');
}
