// Span context validity as @opentelemetry/api defines it (32/16 lower-case hex chars, not all
// zero), checked without regular expressions.

import type { SpanContext } from '@opentelemetry/api';

export const INVALID_TRACE_ID = '00000000000000000000000000000000';
export const INVALID_SPAN_ID = '0000000000000000';
export const INVALID_SPAN_CONTEXT: SpanContext = Object.freeze({ traceId: INVALID_TRACE_ID, spanId: INVALID_SPAN_ID, traceFlags: 0 });

function isLowerHexId(id: unknown, length: number, invalid: string): boolean {
  if (typeof id !== 'string' || id.length !== length || id === invalid) return false;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    // 0-9 or a-f
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export function isValidTraceId(traceId: unknown): boolean {
  return isLowerHexId(traceId, 32, INVALID_TRACE_ID);
}

export function isValidSpanId(spanId: unknown): boolean {
  return isLowerHexId(spanId, 16, INVALID_SPAN_ID);
}

export function isSpanContextValid(spanContext: SpanContext): boolean {
  return isValidTraceId(spanContext.traceId) && isValidSpanId(spanContext.spanId);
}
