// The finished log-record shape handed from the logger to processors and exporters.

import type { HrTime, InstrumentationScope, Resource } from '../core/types.js';

/**
 * An OTLP AnyValue as plain JS: string, number, boolean, Uint8Array (bytes), arrays of AnyValue,
 * maps (plain objects) of AnyValue, or null (an empty value).
 */
export type AnyValue = string | number | boolean | Uint8Array | null | readonly AnyValue[] | { readonly [key: string]: AnyValue };

export interface LogAttributes {
  [key: string]: AnyValue;
}

export interface ReadableLogRecord {
  /** When the event happened, if the source said; undefined -> time_unix_nano 0 (unknown). */
  readonly timestamp: HrTime | undefined;
  /** When we saw it. */
  readonly observedTimestamp: HrTime;
  /** 0 (UNSPECIFIED) to 24 (FATAL4). */
  readonly severityNumber: number;
  readonly severityText: string | undefined;
  readonly body: AnyValue | undefined;
  readonly attributes: LogAttributes;
  readonly droppedAttributesCount: number;
  readonly eventName: string | undefined;
  /** From the record's context (or the active one) when it holds a valid span context. */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly traceFlags: number;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}
