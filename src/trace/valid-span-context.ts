// The span context of the span in a Context, if valid. Asked on every child span, inject, exemplar
// and log record: our own spans answer with a cached object and skip the API's regex validation
// (their ids are valid by construction); anything else is validated as the API does.

import type { Context, SpanContext } from '@opentelemetry/api';
import { isSpanContextValid } from '../otel-api/span-context.js';
import { trace } from '../otel-api/trace.js';
import { SdkSpan } from './span.js';

export function validSpanContext(ctx: Context): SpanContext | undefined {
  const span = trace.getSpan(ctx);
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  if (span instanceof SdkSpan) return sc;
  return isSpanContextValid(sc) ? sc : undefined;
}
