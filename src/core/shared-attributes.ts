// Attribute sets that an instrumentation makes once and gives to many spans (one per database operation,
// route handler or RPC method): frozen, checked once, and known by identity. A span starts with the set
// itself instead of a copy (src/trace/span.ts copies it on its first own attribute), and the protobuf
// encoder writes its bytes once and copies them for every later span (encode-protobuf/common.ts).

import { countIfAllKept } from './attributes.js';

/** What is known of one shared set. */
export interface SharedSet {
  /** Its entries, all valid. */
  readonly count: number;
  /** An encoder's bytes for the set, kept with it: the set never changes, so neither do they. */
  encoded: Uint8Array | undefined;
  /** The field the bytes were written under (they include its tag). */
  encodedTag: number;
}

const shared = new WeakMap<object, SharedSet>();

/**
 * Freezes `attributes` (array values included) and returns it, registered as a shared set when every
 * entry is valid. Call it once per set, where the set is made and cached, never per operation: each call
 * is a registry entry.
 */
export function sharedAttributes<T extends object>(attributes: T): T {
  for (const key in attributes) {
    const value: unknown = attributes[key];
    if (Array.isArray(value)) Object.freeze(value);
  }
  Object.freeze(attributes);
  const count = countIfAllKept(attributes as Readonly<Record<string, unknown>>, Infinity);
  if (count > 0) shared.set(attributes, { count, encoded: undefined, encodedTag: 0 });
  return attributes;
}

/** The set's record when `attributes` is a shared set, else undefined. */
export function sharedSet(attributes: object): SharedSet | undefined {
  return shared.get(attributes);
}
