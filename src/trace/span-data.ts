// The finished-span shape handed from the SDK to processors and exporters.
// Exporters read these fields directly; there is no intermediate representation.

import type { Attributes, HrTime, InstrumentationScope, Resource } from '../core/types.js';

export interface SpanEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

/** Status codes as in @opentelemetry/api: 0 UNSET, 1 OK, 2 ERROR (same numbers as OTLP). */
export interface SpanStatus {
  readonly code: 0 | 1 | 2;
  readonly message?: string;
}

/** Span kinds as in @opentelemetry/api: 0 INTERNAL, 1 SERVER, 2 CLIENT, 3 PRODUCER, 4 CONSUMER (OTLP = api + 1). */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: number;
  /** 32 lower-case hex chars. */
  readonly traceId: string;
  /** 16 lower-case hex chars. */
  readonly spanId: string;
  readonly traceFlags: number;
  /** W3C tracestate header value, or undefined. */
  readonly traceState: string | undefined;
  readonly parentSpanId: string | undefined;
  /** Whether the parent came from another process (OTLP span flags bits 8-9). */
  readonly parentIsRemote: boolean;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  /**
   * Start and end as performance.now() readings, when the span keeps them (SdkSpan; NaN or absent
   * otherwise): encoders write these (core/time.ts clockSec, clockNs) rather than make the arrays.
   */
  readonly startClockMs?: number;
  readonly endClockMs?: number;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLink[];
  readonly droppedLinksCount: number;
  readonly status: SpanStatus;
  readonly scope: InstrumentationScope;
  readonly resource: Resource;
}
