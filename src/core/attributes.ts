// Attribute validation and limits, shared by spans, events, links (and log records later).

import type { AttributeValue, Attributes } from './types.js';

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** A valid attribute value: a primitive, or an array of one primitive type (nulls allowed). */
export function isValidValue(value: unknown): value is AttributeValue {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value)) return false;
  let type: string | undefined;
  for (const element of value) {
    if (element === null || element === undefined) continue;
    if (!isPrimitive(element)) return false;
    const elementType = typeof element;
    if (type === undefined) type = elementType;
    else if (type !== elementType) return false;
  }
  return true;
}

export function truncateValue(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value === 'string') return value.length > maxLength ? value.slice(0, maxLength) : value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((element: unknown) => {
      if (typeof element === 'string' && element.length > maxLength) {
        changed = true;
        return element.slice(0, maxLength);
      }
      return element;
    });
    return (changed ? out : value) as AttributeValue;
  }
  return value;
}

/**
 * How many entries `input` holds if addAttributes would keep every one of them into an empty target (own
 * keys only, none empty, every value valid, no more than `countLimit`), so a plain copy of `input` is the
 * same result. Otherwise 0.
 */
export function countIfAllKept(input: Readonly<Record<string, unknown>>, countLimit: number): number {
  let count = 0;
  for (const key in input) {
    if (!Object.prototype.hasOwnProperty.call(input, key) || key === '' || !isValidValue(input[key])) return 0;
    if (++count > countLimit) return 0;
  }
  return count;
}

/**
 * Copies valid entries of `input` into `target`, honouring the count and length limits.
 * Returns how many entries were dropped for the count limit.
 */
export function addAttributes(
  target: Attributes,
  input: Readonly<Record<string, unknown>> | undefined,
  countLimit: number,
  lengthLimit: number,
  currentCount: number,
): number {
  if (input === undefined || input === null) return 0;
  let dropped = 0;
  let count = currentCount;
  for (const key in input) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) continue;
    const value = input[key];
    if (key === '' || !isValidValue(value)) continue;
    if (!(key in target)) {
      if (count >= countLimit) {
        dropped++;
        continue;
      }
      count++;
    }
    target[key] = lengthLimit === Infinity ? value : truncateValue(value, lengthLimit);
  }
  return dropped;
}
