// What an instrumentation derives from the same few values on every call (a span's name and start
// attributes, its metric attribute set), made once per distinct set of values and found again without
// building a key: one Map lookup by the most telling value (a query text, a destination), then the few
// entries under it compared field by field (each entry knows its own fields: `matches`). Handing the
// instruments the same frozen attribute object each time also lets them find its series by identity
// (src/metrics/attributes-key.ts) instead of hashing the set: ~60 ns against ~640 ns per measurement.
//
// Bounded: past `limit` entries nothing more is kept and find() misses, so the caller makes its values
// per call, as it would without the cache.

import { sharedAttributes } from '../core/shared-attributes.js';

export interface Shape<I> {
  /** Whether this entry was made from values equal to `info`'s (apart from the key it is kept under). */
  matches(info: I): boolean;
}

export class ShapeCache<K, I, S extends Shape<I>> {
  readonly #byKey = new Map<K, S[]>();
  readonly #limit: number;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  find(key: K, info: I): S | undefined {
    const entries = this.#byKey.get(key);
    if (entries === undefined) return undefined;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.matches(info)) return entries[i];
    return undefined;
  }

  /** Keeps `shape` under `key` unless the cache is full. */
  add(key: K, shape: S): void {
    if (this.#size >= this.#limit) return;
    this.#size++;
    const entries = this.#byKey.get(key);
    if (entries === undefined) this.#byKey.set(key, [shape]);
    else entries.push(shape);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * `attributes` frozen, for an entry about to be added: registered as a shared set
   * (core/shared-attributes.ts) while the cache still keeps entries; past the bound the set is made per
   * call and seen once, so registering it would only cost.
   */
  frozenSet<T extends object>(attributes: T): T {
    return this.#size < this.#limit ? sharedAttributes(attributes) : Object.freeze(attributes);
  }
}
