// Typed reads of request and response fields: an SDK passes the app's own objects through, so any
// field may be missing or of another type; a value of the wrong type is left out, never coerced.

import type { Attributes } from '@opentelemetry/api';

export type Fields = Record<string, unknown>;

export function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function integerField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** A string or a list of strings (OpenAI's `stop`), as a string[] attribute. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return undefined;
  const list: string[] = [];
  for (const item of value) if (typeof item === 'string') list.push(item);
  return list.length > 0 ? list : undefined;
}

/** Sets attributes[key] when value is defined. */
export function put(attributes: Attributes, key: string, value: string | number | boolean | string[] | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** gen_ai.output.type from a requested response format type ('json_schema', 'json_object', 'text'). */
export function outputTypeOf(formatType: unknown): string | undefined {
  if (formatType === 'json_schema' || formatType === 'json_object') return 'json';
  if (formatType === 'text') return 'text';
  return undefined;
}
