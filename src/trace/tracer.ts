// Tracer: decides parent, ids and sampling, then makes an SdkSpan or a non-recording span.

import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { INVALID_SPAN_CONTEXT } from '../otel-api/span-context.js';
import { trace } from '../otel-api/trace.js';
import type { SpanLimits } from '../config/types.js';
import { activeContext, runWithContext } from '../context/als-context-manager.js';
import { isSuppressed } from '../context/suppress.js';
import { newSpanId, newTraceId } from './ids.js';
import { Decision, type Sampler } from './samplers.js';
import { SdkSpan, type SpanEndListener } from './span.js';
import { validSpanContext } from '../otel-api/valid-span-context.js';
import type { InstrumentationScope, Resource } from '../core/types.js';

export interface TracerShared {
  readonly sampler: Sampler;
  readonly limits: SpanLimits;
  readonly resource: Resource;
  readonly listener: SpanEndListener;
}

const SUPPRESSED_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export class SdkTracer implements Tracer {
  readonly #scope: InstrumentationScope;
  readonly #shared: TracerShared;

  constructor(scope: InstrumentationScope, shared: TracerShared) {
    this.#scope = scope;
    this.#shared = shared;
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = activeContext()): Span {
    if (isSuppressed(ctx)) return SUPPRESSED_SPAN;
    const parent = options.root ? undefined : validSpanContext(ctx);
    const traceId = parent === undefined ? newTraceId() : parent.traceId;
    const spanId = newSpanId();
    const kind = options.kind ?? 0;
    const shared = this.#shared;
    const result = shared.sampler.shouldSample(parent, traceId, name, kind, options.attributes);
    const traceFlags = result.decision === Decision.RecordAndSample ? 1 : 0;
    const traceState = result.traceState ?? parent?.traceState;
    if (result.decision === Decision.Drop) {
      return trace.wrapSpanContext({ traceId, spanId, traceFlags, traceState });
    }
    const span = new SdkSpan(
      name,
      kind,
      traceId,
      spanId,
      traceFlags,
      traceState,
      parent,
      options.startTime,
      this.#scope,
      shared.resource,
      shared.limits,
      shared.listener,
    );
    if (options.attributes !== undefined) span.setAttributes(options.attributes);
    if (result.attributes !== undefined) span.setAttributes(result.attributes);
    if (options.links !== undefined) span.addLinks(options.links);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (rest.length === 1) fn = rest[0] as F;
    else if (rest.length === 2) [options, fn] = rest as [SpanOptions, F];
    else [options, ctx, fn] = rest as [SpanOptions, Context, F];
    const parent = ctx ?? activeContext();
    const span = this.startSpan(name, options, parent);
    return runWithContext(trace.setSpan(parent, span), fn, span) as ReturnType<F>;
  }
}
