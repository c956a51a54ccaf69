// The API's baggage helpers on its context key (Symbol.for, shared by every API copy): an
// immutable map of entries, each with an optional opaque metadata string.

import type { Baggage, BaggageEntry, BaggageEntryMetadata, Context } from '@opentelemetry/api';

export const BAGGAGE_KEY = Symbol.for('OpenTelemetry Baggage Key');

// The API brands metadata with this symbol (and reads `toString()`).
const METADATA_BRAND = Symbol('BaggageEntryMetadata');

export function baggageEntryMetadataFromString(text: string): BaggageEntryMetadata {
  const metadata = { __TYPE__: METADATA_BRAND, toString: () => text };
  return metadata as unknown as BaggageEntryMetadata;
}

class EntryMap implements Baggage {
  readonly #entries: ReadonlyMap<string, BaggageEntry>;

  constructor(entries: ReadonlyMap<string, BaggageEntry>) {
    this.#entries = entries;
  }

  getEntry(key: string): BaggageEntry | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : { ...entry };
  }

  getAllEntries(): [string, BaggageEntry][] {
    return [...this.#entries].map(([key, entry]) => [key, { ...entry }]);
  }

  setEntry(key: string, entry: BaggageEntry): Baggage {
    const next = new Map(this.#entries);
    next.set(key, entry);
    return new EntryMap(next);
  }

  removeEntry(key: string): Baggage {
    const next = new Map(this.#entries);
    next.delete(key);
    return new EntryMap(next);
  }

  removeEntries(...keys: string[]): Baggage {
    const next = new Map(this.#entries);
    for (const key of keys) next.delete(key);
    return new EntryMap(next);
  }

  clear(): Baggage {
    return new EntryMap(new Map());
  }
}

export function createBaggage(entries: Record<string, BaggageEntry> = {}): Baggage {
  return new EntryMap(new Map(Object.entries(entries)));
}

/**
 * Baggage holding `entries` as they are. Propagators build entries in a Map, never in a plain object:
 * there a key such as `__proto__` (a valid W3C baggage key) would set the object's prototype and be lost.
 */
export function baggageFromEntries(entries: ReadonlyMap<string, BaggageEntry>): Baggage {
  return new EntryMap(entries);
}

export function getBaggage(ctx: Context): Baggage | undefined {
  return (ctx.getValue(BAGGAGE_KEY) as Baggage | undefined) ?? undefined;
}

export function setBaggage(ctx: Context, baggage: Baggage): Context {
  return ctx.setValue(BAGGAGE_KEY, baggage);
}

/** Named as the API's `propagation` object, so call sites read the same. */
export const propagation = { createBaggage, getBaggage, setBaggage };
