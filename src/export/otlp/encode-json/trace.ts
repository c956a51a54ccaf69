// OTLP/JSON for traces (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
// lowerCamelCase keys, trace/span ids as hex strings, enums as integers, 64-bit integers as decimal strings,
// default values omitted. Built as one string (no intermediate object tree), then UTF-8 encoded.

import type { ReadableSpan } from '../../../trace/span-data.js';
import { attributesField, hrTimeToDecimalNanos, resourceJson, scopeJson } from './common.js';

export { hrTimeToDecimalNanos } from './common.js';
import { groupByResourceAndScope } from '../encode-protobuf/trace.js';

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
