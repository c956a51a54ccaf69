// ExportTraceServiceRequest written directly from ReadableSpan objects (trace.proto, trace_service.proto).

import type { Writer } from './writer.js';
import type { ReadableSpan } from '../../../trace/span-data.js';
import { decodePartialSuccess, writeAttributes, writeFixed64SecNs, writeFixed64Time, writeHexId } from './common.js';
import { clockNs, clockSec } from '../../../core/time.js';
import { encodeAhead, releaseEncoded, writeGroupedRequest, type EncodedItem } from './envelope.js';

// ScopeSpans.spans (the envelope around it is in envelope.ts)
const SS_SPANS = 18; // 2
// Span
const SPAN_TRACE_ID = 10; // 1 bytes
const SPAN_SPAN_ID = 18; // 2 bytes
const SPAN_TRACE_STATE = 26; // 3 string
const SPAN_PARENT_SPAN_ID = 34; // 4 bytes
const SPAN_NAME = 42; // 5 string
const SPAN_KIND = 48; // 6 enum
const SPAN_START = 57; // 7 fixed64
const SPAN_END = 65; // 8 fixed64
const SPAN_ATTRIBUTES = 74; // 9
const SPAN_DROPPED_ATTRIBUTES = 80; // 10
const SPAN_EVENTS = 90; // 11
const SPAN_DROPPED_EVENTS = 96; // 12
const SPAN_LINKS = 106; // 13
const SPAN_DROPPED_LINKS = 112; // 14
const SPAN_STATUS = 122; // 15
const SPAN_FLAGS = 133; // 16 fixed32
// Span.Event
const EVENT_TIME = 9; // 1 fixed64
const EVENT_NAME = 18; // 2
const EVENT_ATTRIBUTES = 26; // 3
const EVENT_DROPPED_ATTRIBUTES = 32; // 4
// Span.Link
const LINK_TRACE_ID = 10; // 1
const LINK_SPAN_ID = 18; // 2
const LINK_TRACE_STATE = 26; // 3
const LINK_ATTRIBUTES = 34; // 4
const LINK_DROPPED_ATTRIBUTES = 40; // 5
const LINK_FLAGS = 53; // 6 fixed32
// Status
const STATUS_MESSAGE = 18; // 2
const STATUS_CODE = 24; // 3

// SpanFlags (trace.proto)
const SPAN_FLAGS_TRACE_FLAGS_MASK = 0xff;
const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK = 0x200;

/** Spans, or spans encoded ahead, or a mix: the request bytes are the same. */
export type TraceItem = ReadableSpan | EncodedItem;

/** Encodes spans as an ExportTraceServiceRequest. Throws only on programming errors (the exporter catches). */
export function encodeTraceRequest(spans: readonly TraceItem[]): Uint8Array {
  return writeGroupedRequest(spans, writeSpan);
}

/** The span written now, for the batch queue to hold instead of it (see EncodedItem). Never throws. */
export function encodeSpanAhead(span: TraceItem): TraceItem {
  return encodeAhead(span, writeSpan);
}

/** What the batch pipeline uses to encode spans as they are queued, and to free their bytes after the export. */
export const spanEncodeAhead = { encode: encodeSpanAhead, release: releaseEncoded };

function writeSpan(w: Writer, span: ReadableSpan): void {
  w.uint32(SS_SPANS).fork();
  writeHexId(w, SPAN_TRACE_ID, span.traceId);
  writeHexId(w, SPAN_SPAN_ID, span.spanId);
  if (span.traceState) w.uint32(SPAN_TRACE_STATE).string(span.traceState);
  if (span.parentSpanId) writeHexId(w, SPAN_PARENT_SPAN_ID, span.parentSpanId);
  if (span.name) w.uint32(SPAN_NAME).string(span.name);
  const kind = span.kind;
  if (kind >= 0 && kind <= 4) w.uint32(SPAN_KIND).uint32(kind + 1); // OTLP = api + 1 (0 is UNSPECIFIED)
  // A clock reading the span kept is written as it is: the same bytes as its startTime, without the array.
  const startMs = span.startClockMs;
  w.uint32(SPAN_START);
  if (startMs !== undefined && !Number.isNaN(startMs)) writeFixed64SecNs(w, clockSec(startMs), clockNs(startMs));
  else writeFixed64Time(w, span.startTime);
  const endMs = span.endClockMs;
  w.uint32(SPAN_END);
  if (endMs !== undefined && !Number.isNaN(endMs)) writeFixed64SecNs(w, clockSec(endMs), clockNs(endMs));
  else writeFixed64Time(w, span.endTime);
  writeAttributes(w, SPAN_ATTRIBUTES, span.attributes);
  if (span.droppedAttributesCount > 0) w.uint32(SPAN_DROPPED_ATTRIBUTES).uint32(span.droppedAttributesCount);

  const events = span.events;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    w.uint32(SPAN_EVENTS).fork();
    w.uint32(EVENT_TIME);
    writeFixed64Time(w, ev.time);
    if (ev.name) w.uint32(EVENT_NAME).string(ev.name);
    writeAttributes(w, EVENT_ATTRIBUTES, ev.attributes);
    if (ev.droppedAttributesCount > 0) w.uint32(EVENT_DROPPED_ATTRIBUTES).uint32(ev.droppedAttributesCount);
    w.ldelim();
  }
  if (span.droppedEventsCount > 0) w.uint32(SPAN_DROPPED_EVENTS).uint32(span.droppedEventsCount);

  const links = span.links;
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    w.uint32(SPAN_LINKS).fork();
    writeHexId(w, LINK_TRACE_ID, link.traceId);
    writeHexId(w, LINK_SPAN_ID, link.spanId);
    if (link.traceState) w.uint32(LINK_TRACE_STATE).string(link.traceState);
    writeAttributes(w, LINK_ATTRIBUTES, link.attributes);
    if (link.droppedAttributesCount > 0) w.uint32(LINK_DROPPED_ATTRIBUTES).uint32(link.droppedAttributesCount);
    // SpanLink does not say whether the linked context is remote, so HAS_IS_REMOTE stays unset.
    const linkFlags = link.traceFlags & SPAN_FLAGS_TRACE_FLAGS_MASK;
    if (linkFlags !== 0) w.uint32(LINK_FLAGS).fixed32(linkFlags);
    w.ldelim();
  }
  if (span.droppedLinksCount > 0) w.uint32(SPAN_DROPPED_LINKS).uint32(span.droppedLinksCount);

  const status = span.status;
  if (status.code !== 0 || status.message) {
    w.uint32(SPAN_STATUS).fork();
    if (status.message) w.uint32(STATUS_MESSAGE).string(status.message);
    if (status.code !== 0) w.uint32(STATUS_CODE).uint32(status.code);
    w.ldelim();
  }

  w.uint32(SPAN_FLAGS).fixed32(
    (span.traceFlags & SPAN_FLAGS_TRACE_FLAGS_MASK) |
      SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK |
      (span.parentIsRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK : 0),
  );
  w.ldelim();
}

export interface ExportTraceResponse {
  readonly partialSuccess?: { readonly rejectedSpans: number; readonly errorMessage: string };
}

/** Decodes an ExportTraceServiceResponse (only partial_success exists). Throws on malformed bytes. */
export function decodeExportTraceResponse(bytes: Uint8Array): ExportTraceResponse {
  const ps = decodePartialSuccess(bytes);
  return ps === undefined ? {} : { partialSuccess: { rejectedSpans: ps.rejected, errorMessage: ps.errorMessage } };
}
