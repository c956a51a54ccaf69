// trace_id / span_id / trace_flags in a library's own output lines, named and formatted as the
// spec's "Trace Context in non-OTLP Log Formats" says: lowercase hex ids, flags in the W3C
// traceflags format (two lowercase hex digits, "01" when sampled), top-level fields in JSON.
// Only a valid span context is written: no all-zero ids for logs outside a span.

import type { Context, SpanContext } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';

export const TRACE_ID_FIELD = 'trace_id';
export const SPAN_ID_FIELD = 'span_id';
export const TRACE_FLAGS_FIELD = 'trace_flags';

/** "00".."ff", built once. */
const FLAGS_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function traceFlagsHex(flags: number): string {
  return FLAGS_HEX[flags & 0xff]!;
}

// A log line usually runs in the same span as the previous one: remember the last answer so the
// id checks and string building happen once per span, not once per line.
let lastSpanContext: SpanContext | undefined;
let lastValid = false;
let lastJson = '';

function remember(sc: SpanContext): void {
  lastSpanContext = sc;
  lastValid = trace.isSpanContextValid(sc);
  lastJson = lastValid
    ? `"${TRACE_ID_FIELD}":"${sc.traceId}","${SPAN_ID_FIELD}":"${sc.spanId}","${TRACE_FLAGS_FIELD}":"${traceFlagsHex(sc.traceFlags)}"`
    : '';
}

/** The span context of `ctx` when it is valid (ids not all zero, well formed), else undefined. */
export function validSpanContext(ctx: Context): SpanContext | undefined {
  const sc = trace.getSpanContext(ctx);
  if (sc === undefined) return undefined;
  if (sc !== lastSpanContext) remember(sc);
  return lastValid ? sc : undefined;
}

/** `"trace_id":"…","span_id":"…","trace_flags":"01"`: the three members of a JSON object, without braces. */
export function traceFieldsJson(sc: SpanContext): string {
  if (sc !== lastSpanContext) remember(sc);
  return lastJson;
}

/**
 * Adds `members` (JSON object members without braces) as the last members of the JSON object in
 * `line`, which may end with a newline: `{"a":1}\n` -> `{"a":1,<members>}\n`. A line that does not
 * end in an object is returned as it is.
 */
export function appendJsonMembers(line: string, members: string): string {
  if (members === '') return line;
  const close = line.lastIndexOf('}');
  if (close <= 0) return line;
  for (let i = close + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 10 && c !== 13) return line; // something other than the line ending follows the object
  }
  const empty = line.charCodeAt(close - 1) === 123; // "{}": no comma before our members
  return line.slice(0, close) + (empty ? '' : ',') + members + line.slice(close);
}

/**
 * Sets the three fields on a record object the library is about to format. A record that already
 * has a `trace_id` (the app set its own) is left alone. Returns whether the fields were added.
 */
export function assignTraceFields(record: Record<string, unknown>, sc: SpanContext): boolean {
  if (record[TRACE_ID_FIELD] !== undefined) return false;
  record[TRACE_ID_FIELD] = sc.traceId;
  record[SPAN_ID_FIELD] = sc.spanId;
  record[TRACE_FLAGS_FIELD] = traceFlagsHex(sc.traceFlags);
  return true;
}
