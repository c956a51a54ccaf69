// Zipkin B3, single header ('b3') and multi header ('X-B3-*'), https://github.com/openzipkin/b3-propagation

import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isSpanContextValid } from '../../otel-api/span-context.js';
import { trace } from '../../otel-api/trace.js';
import { isSuppressed } from '../suppress.js';
import { validSpanContext } from '../../otel-api/valid-span-context.js';

const HEX_ID = /^([0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function withIds(ctx: Context, traceId: string | undefined, spanId: string | undefined, sampled: boolean): Context {
  if (traceId === undefined || spanId === undefined) return ctx;
  const lowerTrace = traceId.toLowerCase();
  const lowerSpan = spanId.toLowerCase();
  if (!HEX_ID.test(lowerTrace) || !SPAN_ID.test(lowerSpan)) return ctx;
  const spanContext = { traceId: lowerTrace.padStart(32, '0'), spanId: lowerSpan, traceFlags: sampled ? 1 : 0, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ctx, spanContext) : ctx;
}

function injectable(ctx: Context) {
  const spanContext = validSpanContext(ctx);
  if (spanContext === undefined || isSuppressed(ctx)) return undefined;
  return spanContext;
}

export const b3Single: TextMapPropagator = {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = injectable(ctx);
    if (sc !== undefined) setter.set(carrier, 'b3', `${sc.traceId}-${sc.spanId}-${sc.traceFlags & 1 ? '1' : '0'}`);
  },
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = single(getter.get(carrier, 'b3'));
    if (header === undefined) return ctx;
    const [traceId, spanId, sampling] = header.trim().split('-');
    return withIds(ctx, traceId, spanId, sampling === '1' || sampling === 'd');
  },
  fields: () => ['b3'],
};

export const b3Multi: TextMapPropagator = {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = injectable(ctx);
    if (sc === undefined) return;
    setter.set(carrier, 'x-b3-traceid', sc.traceId);
    setter.set(carrier, 'x-b3-spanid', sc.spanId);
    setter.set(carrier, 'x-b3-sampled', sc.traceFlags & 1 ? '1' : '0');
  },
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const sampled = single(getter.get(carrier, 'x-b3-sampled'));
    const debug = single(getter.get(carrier, 'x-b3-flags')) === '1';
    return withIds(
      ctx,
      single(getter.get(carrier, 'x-b3-traceid')),
      single(getter.get(carrier, 'x-b3-spanid')),
      debug || sampled === '1' || sampled === 'true',
    );
  },
  fields: () => ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-flags'],
};
