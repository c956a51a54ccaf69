// The span-in-context helpers of @opentelemetry/api's `trace`, on the same context key
// (Symbol.for, shared by every copy of the API), so an app's own API copy sees our spans and we
// see its spans.

import type { Context, Span, SpanContext } from '@opentelemetry/api';
import { NonRecordingSpan } from './non-recording-span.js';
import { isSpanContextValid } from './span-context.js';

export const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

export function getSpan(ctx: Context): Span | undefined {
  return (ctx.getValue(SPAN_KEY) as Span | undefined) ?? undefined;
}

export function setSpan(ctx: Context, span: Span): Context {
  return ctx.setValue(SPAN_KEY, span);
}

export function getSpanContext(ctx: Context): SpanContext | undefined {
  return getSpan(ctx)?.spanContext();
}

export function wrapSpanContext(spanContext: SpanContext): Span {
  return new NonRecordingSpan(spanContext);
}

export function setSpanContext(ctx: Context, spanContext: SpanContext): Context {
  return setSpan(ctx, new NonRecordingSpan(spanContext));
}

/** Named as the API's `trace` object, so call sites read the same. */
export const trace = { getSpan, setSpan, getSpanContext, wrapSpanContext, setSpanContext, isSpanContextValid };
