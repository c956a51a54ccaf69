// The tracer used when traces are off (OTEL_TRACES_EXPORTER=none): no span is recorded, but the
// incoming span context flows through unchanged, so propagation still joins the services around us.

import type { Context, Span, SpanOptions, Tracer, TracerProvider } from '@opentelemetry/api';
import { activeContext, runWithContext } from '../context/als-context-manager.js';
import { NonRecordingSpan } from '../otel-api/non-recording-span.js';
import { isSpanContextValid } from '../otel-api/span-context.js';
import { getSpanContext, setSpan } from '../otel-api/trace.js';

const noopTracer: Tracer = {
  startSpan(_name: string, options?: SpanOptions, ctx: Context = activeContext()): Span {
    if (options?.root) return new NonRecordingSpan();
    const parent = getSpanContext(ctx);
    return parent !== undefined && isSpanContextValid(parent) ? new NonRecordingSpan(parent) : new NonRecordingSpan();
  },
  startActiveSpan(name: string, ...rest: unknown[]): never {
    const fn = rest[rest.length - 1] as (span: Span) => unknown;
    const options = rest.length >= 2 ? (rest[0] as SpanOptions | undefined) : undefined;
    const ctx = rest.length === 3 ? (rest[1] as Context) : activeContext();
    const span = noopTracer.startSpan(name, options, ctx);
    return runWithContext(setSpan(ctx, span), fn, span) as never;
  },
};

export const NOOP_TRACER_PROVIDER: TracerProvider = { getTracer: () => noopTracer };
