// Jaeger (deprecated in the spec, still asked for): uber-trace-id and uberctx-* baggage.

import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { propagation } from '../../otel-api/baggage.js';
import { isSpanContextValid } from '../../otel-api/span-context.js';
import { trace } from '../../otel-api/trace.js';
import { isSuppressed } from '../suppress.js';
import { validSpanContext } from '../../otel-api/valid-span-context.js';

const HEADER = 'uber-trace-id';
const BAGGAGE_PREFIX = 'uberctx-';

export const jaegerPropagator: TextMapPropagator = {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = validSpanContext(ctx);
    if (sc === undefined || isSuppressed(ctx)) return;
    setter.set(carrier, HEADER, `${sc.traceId}:${sc.spanId}:0:${sc.traceFlags & 1 ? '01' : '00'}`);
    const baggage = propagation.getBaggage(ctx);
    if (baggage === undefined) return;
    for (const [key, entry] of baggage.getAllEntries()) setter.set(carrier, `${BAGGAGE_PREFIX}${key}`, encodeURIComponent(entry.value));
  },
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = ctx;
    const raw = getter.get(carrier, HEADER);
    const header = Array.isArray(raw) ? raw[0] : raw;
    if (header !== undefined) {
      let decoded = header;
      try {
        decoded = decodeURIComponent(header);
      } catch {
        // Keep it as it came.
      }
      const [traceId, spanId, , flags] = decoded.split(':');
      if (traceId !== undefined && spanId !== undefined && flags !== undefined && /^[0-9a-f]{1,32}$/i.test(traceId) && /^[0-9a-f]{1,16}$/i.test(spanId)) {
        const spanContext = {
          traceId: traceId.toLowerCase().padStart(32, '0'),
          spanId: spanId.toLowerCase().padStart(16, '0'),
          traceFlags: parseInt(flags, 16) & 1,
          isRemote: true,
        };
        if (isSpanContextValid(spanContext)) result = trace.setSpanContext(result, spanContext);
      }
    }
    // A Map: any key is kept, `uberctx-__proto__` included.
    const entries = new Map<string, BaggageEntry>();
    for (const key of getter.keys(carrier)) {
      if (!key.toLowerCase().startsWith(BAGGAGE_PREFIX)) continue;
      const value = getter.get(carrier, key);
      const text = Array.isArray(value) ? value.join(',') : value;
      if (text === undefined) continue;
      try {
        entries.set(key.slice(BAGGAGE_PREFIX.length), { value: decodeURIComponent(text) });
      } catch {
        // Skip a malformed entry.
      }
    }
    if (entries.size > 0) {
      const existing = propagation.getBaggage(result);
      let baggage = existing ?? propagation.createBaggage();
      for (const [key, entry] of entries) baggage = baggage.setEntry(key, entry);
      result = propagation.setBaggage(result, baggage);
    }
    return result;
  },
  fields: () => [HEADER],
};
