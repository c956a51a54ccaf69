// W3C Trace Context (traceparent / tracestate), https://www.w3.org/TR/trace-context/

import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createTraceState } from '../../otel-api/trace-state.js';
import { trace } from '../../otel-api/trace.js';
import { isSuppressed } from '../suppress.js';
import { validSpanContext } from '../../otel-api/valid-span-context.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const FIELDS = [TRACEPARENT, TRACESTATE];
// version-traceid-parentid-flags, with future versions allowed to append fields after a dash.
const TRACEPARENT_RE = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;
const ALL_ZERO_TRACE = '00000000000000000000000000000000';
const ALL_ZERO_SPAN = '0000000000000000';

function firstValue(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

export const traceContextPropagator: TextMapPropagator = {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = validSpanContext(ctx);
    if (spanContext === undefined || isSuppressed(ctx)) return;
    const flags = spanContext.traceFlags & 0xff;
    setter.set(
      carrier,
      TRACEPARENT,
      `00-${spanContext.traceId}-${spanContext.spanId}-${flags < 16 ? '0' : ''}${flags.toString(16)}`,
    );
    const state = spanContext.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  },

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = firstValue(getter.get(carrier, TRACEPARENT));
    if (header === undefined) return ctx;
    const match = TRACEPARENT_RE.exec(header);
    if (match === null) return ctx;
    const [, version, traceId, spanId, flags, rest] = match;
    // Version ff is forbidden; version 00 has exactly four fields.
    if (version === 'ff' || (version === '00' && rest !== undefined)) return ctx;
    if (traceId === ALL_ZERO_TRACE || spanId === ALL_ZERO_SPAN) return ctx;
    const stateHeader = getter.get(carrier, TRACESTATE);
    const state = Array.isArray(stateHeader) ? stateHeader.join(',') : stateHeader;
    return trace.setSpanContext(ctx, {
      traceId: traceId!,
      spanId: spanId!,
      traceFlags: parseInt(flags!, 16) & 1,
      isRemote: true,
      traceState: state ? createTraceState(state) : undefined,
    });
  },

  fields(): string[] {
    return FIELDS;
  },
};
