// Log bodies and attributes are AnyValue (maps and nested arrays allowed, unlike span attributes).
// Values from app code are converted defensively: cycles and very deep objects are cut, functions
// and symbols dropped, and the OTEL_LOGRECORD_* limits applied.

import type { LogRecordLimits } from '../config/types.js';
import type { AnyValue, LogAttributes } from './log-record-data.js';

/** Nesting deeper than this is replaced by a marker string (also what stops cycles). */
const MAX_DEPTH = 8;

function truncate(s: string, limit: number): string {
  return s.length > limit ? s.slice(0, limit) : s;
}

/**
 * Converts an app value into an AnyValue, or undefined when it has none (functions, symbols,
 * undefined). Strings are cut to `lengthLimit` (Infinity: unlimited).
 */
export function toAnyValue(value: unknown, lengthLimit: number, depth = 0): AnyValue | undefined {
  switch (typeof value) {
    case 'string':
      return lengthLimit === Infinity ? value : truncate(value, lengthLimit);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return null;
      if (value instanceof Uint8Array) return value;
      if (depth >= MAX_DEPTH) return '[depth limit]';
      if (Array.isArray(value)) {
        const out: AnyValue[] = [];
        for (const element of value) out.push(toAnyValue(element, lengthLimit, depth + 1) ?? null);
        return out;
      }
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (value instanceof Error) return errorValue(value, lengthLimit);
      const out: { [key: string]: AnyValue } = {};
      for (const key of Object.keys(value)) {
        let v: unknown;
        try {
          v = (value as Record<string, unknown>)[key];
        } catch {
          continue; // a throwing getter
        }
        const converted = toAnyValue(v, lengthLimit, depth + 1);
        if (converted !== undefined) out[key] = converted;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function errorValue(error: Error, lengthLimit: number): AnyValue {
  const out: { [key: string]: AnyValue } = {};
  const name = toAnyValue(error.name, lengthLimit);
  const message = toAnyValue(error.message, lengthLimit);
  if (typeof name === 'string') out.name = name;
  if (typeof message === 'string') out.message = message;
  if (typeof error.stack === 'string') out.stack = truncate(error.stack, lengthLimit);
  return out;
}

/**
 * Copies `input` into `target` under the count and length limits. Returns how many attributes were
 * dropped for the count limit (spec: dropped_attributes_count).
 */
export function addLogAttributes(target: LogAttributes, input: object | undefined | null, limits: LogRecordLimits, currentCount: number): number {
  if (input === undefined || input === null || typeof input !== 'object') return 0;
  let count = currentCount;
  let dropped = 0;
  for (const key of Object.keys(input)) {
    if (key === '') continue;
    let raw: unknown;
    try {
      raw = (input as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    const value = toAnyValue(raw, limits.attributeValueLengthLimit);
    if (value === undefined) continue;
    if (!(key in target)) {
      if (count >= limits.attributeCountLimit) {
        dropped++;
        continue;
      }
      count++;
    }
    target[key] = value;
  }
  return dropped;
}
