// The span context of the span in a Context, if valid. Asked on every child span, inject, exemplar
// and log record: spans whose ids are valid by construction (the SDK's own) answer at once and skip
// the API's regex validation; anything else is validated as the API does. The SDK marks its spans
// with VALID_BY_CONSTRUCTION so that this layer does not depend on the SDK's span class.

import type { Context, SpanContext } from '@opentelemetry/api';
import { isSpanContextValid } from './span-context.js';
import { trace } from './trace.js';

export const VALID_BY_CONSTRUCTION = Symbol('otel-instrument.validByConstruction');

export function validSpanContext(ctx: Context): SpanContext | undefined {
  const span = trace.getSpan(ctx);
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  if ((span as { [VALID_BY_CONSTRUCTION]?: true })[VALID_BY_CONSTRUCTION] === true) return sc;
  return isSpanContextValid(sc) ? sc : undefined;
}
