// Exemplars: which measurements may carry one (OTEL_METRICS_EXEMPLAR_FILTER) and the one reusable
// slot a reservoir cell keeps per series (sums) or per bucket (histograms). Recording one copies
// a number and two existing strings into the slot; the HrTime is built only at collection.

import type { Context, SpanContext } from '@opentelemetry/api';
import { activeContext } from '../context/als-context-manager.js';
import { validSpanContext } from '../otel-api/valid-span-context.js';
import { toHrTime } from '../core/time.js';
import type { Exemplar } from './metric-data.js';

export type ExemplarFilter = 'trace_based' | 'always_on' | 'always_off';

export const NO_EXEMPLARS: readonly Exemplar[] = Object.freeze([]);
const EMPTY_ATTRIBUTES = Object.freeze({});

/**
 * The span context to attach, undefined for "record without ids" (always_on outside a span),
 * or null when the filter rejects the measurement.
 */
export function exemplarSpan(filter: ExemplarFilter, ctx: Context | undefined): SpanContext | undefined | null {
  if (filter === 'always_off') return null;
  const sc = validSpanContext(ctx ?? activeContext());
  if (filter === 'trace_based') return sc !== undefined && (sc.traceFlags & 1) === 1 ? sc : null;
  return sc;
}

// Set while a pull reader collects: it reads exemplars without emptying the slots, so the push
// reader still exports them. Collection is synchronous, so a module flag is enough.
let keepExemplars = false;

export function collectKeepingExemplars<T>(collect: () => T): T {
  keepExemplars = true;
  try {
    return collect();
  } finally {
    keepExemplars = false;
  }
}

export class ExemplarSlot {
  filled = false;
  value = 0;
  /** performance.now() at the measurement. */
  at = 0;
  traceId: string | undefined = undefined;
  spanId: string | undefined = undefined;

  offer(value: number, sc: SpanContext | undefined): void {
    this.filled = true;
    this.value = value;
    this.at = performance.now();
    this.traceId = sc?.traceId;
    this.spanId = sc?.spanId;
  }

  /** The exemplar (if any) and an emptied slot for the next period. */
  take(): Exemplar | undefined {
    if (!this.filled) return undefined;
    if (!keepExemplars) this.filled = false;
    return { time: toHrTime(this.at), value: this.value, filteredAttributes: EMPTY_ATTRIBUTES, traceId: this.traceId, spanId: this.spanId };
  }
}

export function takeOne(slot: ExemplarSlot | undefined): readonly Exemplar[] {
  const exemplar = slot?.take();
  return exemplar === undefined ? NO_EXEMPLARS : [exemplar];
}

export function takeAll(slots: (ExemplarSlot | undefined)[] | undefined): readonly Exemplar[] {
  if (slots === undefined) return NO_EXEMPLARS;
  let out: Exemplar[] | undefined;
  for (const slot of slots) {
    const exemplar = slot?.take();
    if (exemplar !== undefined) (out ??= []).push(exemplar);
  }
  return out ?? NO_EXEMPLARS;
}
