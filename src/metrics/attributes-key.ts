// The hot-path lookup from a measurement's attributes object to its series (accumulation cell).
// A seen attribute set costs no allocation: first an identity cache (WeakMap keyed by the caller's
// object once it was used twice, verified by value so a mutated object is never misattributed), then an order-independent
// 32-bit hash of the entries computed without building any string, with equality checked entry by
// entry against the stored copy. Only a brand-new set allocates (its copy and its series).

import type { AttributeValue, Attributes, HrTime } from '../core/types.js';
import { isValidValue } from '../core/attributes.js';

/** Spec default: at most this many distinct non-overflow attribute sets per instrument per collection cycle. */
export const CARDINALITY_LIMIT = 2000;
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const EMPTY: Attributes = Object.freeze({});

/** Fields every aggregation cell carries; the table owns them. */
export class SeriesBase {
  readonly attributes: Attributes;
  readonly hash: number;
  /** Next series with the same hash (collision chain). */
  next: this | undefined = undefined;
  /** Removed from the table: identity-cache hits on it must fall back to the slow path. */
  evicted = false;
  /** A measurement arrived since the last collection. */
  touched = false;
  /** The last caller object resolved by hashing; a second resolution of the same object promotes it to the identity cache. */
  lastObject: object | undefined = undefined;
  /** When the series was first seen (cumulative start time). */
  readonly start: HrTime;
  /** The attributes' keys and values in their order, which a caller building its set the same way repeats. */
  readonly keys: string[] = [];
  readonly values: AttributeValue[] = [];

  constructor(attributes: Attributes, hash: number, start: HrTime) {
    this.attributes = attributes;
    this.hash = hash;
    this.start = start;
    for (const key in attributes) {
      this.keys.push(key);
      this.values.push(attributes[key]!);
    }
  }
}

export type SeriesFactory<S extends SeriesBase> = (attributes: Attributes, hash: number) => S;

// Scratch views to hash a double's bits without allocating.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193);
}

function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hashPrimitive(h: number, v: unknown): number {
  if (typeof v === 'string') return hashString(mix(h, 1), v);
  if (typeof v === 'number') {
    if ((v | 0) === v) return mix(mix(h, 2), v);
    F64[0] = v;
    return mix(mix(mix(h, 3), U32[0]!), U32[1]!);
  }
  if (typeof v === 'boolean') return mix(h, v ? 4 : 5);
  return mix(h, 6); // null / undefined inside arrays
}

// Attribute keys are few and repeat on every measurement: their part of the hash is kept. A Map lookup
// uses the hash V8 caches in the string, instead of a multiply per character.
const KEY_HASHES = new Map<string, number>();
const MAX_KEY_HASHES = 1024;

function hashKey(key: string): number {
  let h = KEY_HASHES.get(key);
  if (h === undefined) {
    h = mix(hashString(0x811c9dc5, key), 0x3d);
    if (KEY_HASHES.size < MAX_KEY_HASHES) KEY_HASHES.set(key, h);
  }
  return h;
}

function hashEntry(key: string, value: AttributeValue): number {
  let h = hashKey(key);
  if (Array.isArray(value)) {
    h = mix(h, 7);
    for (let i = 0; i < value.length; i++) h = hashPrimitive(h, value[i]);
  } else {
    h = hashPrimitive(h, value);
  }
  // Finalise (murmur3 fmix) so that summing entries stays well distributed.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// Entry hashes are summed, so key order does not matter and no sorting (or array) is needed.
// for-in on purpose: Object.keys/entries would allocate an array on every measurement.
// Returns the hash; the valid-entry count is left in `lastCount` to avoid returning a tuple.
let lastCount = 0;
function hashAttributes(attributes: Attributes): number {
  let h = 0;
  let n = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (key === '' || !isValidValue(value)) continue;
    h = (h + hashEntry(key, value)) | 0;
    n++;
  }
  lastCount = n;
  return h;
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether `attributes` holds exactly the series' set. Compared position by position: a keyed read of the
 * stored copy (`stored[key]`, a different name each time) sent Node 24's Maglev into a deoptimization loop
 * ("unexpected name in keyed access", ~35 per second under load, 10 µs per express request).
 */
function matches(series: SeriesBase, attributes: Attributes): boolean {
  const keys = series.keys;
  const values = series.values;
  let n = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (key === '' || !isValidValue(value)) continue;
    if (keys[n] !== key) return matchesInAnyOrder(series, attributes);
    if (!sameValue(values[n], value)) return false;
    n++;
  }
  return n === keys.length;
}

/** The same set with its keys in another order (rare: callers build a set the same way each time). */
function matchesInAnyOrder(series: SeriesBase, attributes: Attributes): boolean {
  const stored = series.attributes;
  let n = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (key === '' || !isValidValue(value)) continue;
    if (!Object.prototype.hasOwnProperty.call(stored, key) || !sameValue(stored[key], value)) return false;
    n++;
  }
  return n === series.keys.length;
}

function copyAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (key === '' || !isValidValue(value)) continue;
    out[key] = Array.isArray(value) ? value.slice() : value;
  }
  return out;
}

/** One instrument's series, bounded by the cardinality limit (overflow series beyond it). */
export class SeriesTable<S extends SeriesBase> {
  readonly #byHash = new Map<number, S>();
  readonly #byObject = new WeakMap<object, S>();
  readonly #create: SeriesFactory<S>;
  readonly #limit: number;
  /** Live series in insertion order, for collection. */
  #live: S[] = [];
  #empty: S | undefined;
  #overflow: S | undefined;

  constructor(create: SeriesFactory<S>, limit = CARDINALITY_LIMIT) {
    this.#create = create;
    this.#limit = limit;
  }

  get size(): number {
    return this.#live.length;
  }

  get(attributes: Attributes | undefined): S {
    if (attributes === undefined || attributes === null) {
      const empty = this.#empty;
      if (empty !== undefined && !empty.evicted) return empty;
      const series = this.#lookup(EMPTY);
      // Never cache the overflow series here: once a delta collection frees room the empty set gets its own.
      if (series.attributes !== OVERFLOW_ATTRIBUTES) this.#empty = series;
      return series;
    }
    const cached = this.#byObject.get(attributes);
    if (cached !== undefined && !cached.evicted && matches(cached, attributes)) return cached;
    const series = this.#lookup(attributes);
    // Only objects seen twice enter the WeakMap: a fresh literal per call would make every call pay
    // for WeakMap.set (slow, and ephemeron work for the GC) without ever hitting.
    if (series.lastObject === attributes) this.#byObject.set(attributes, series);
    else series.lastObject = attributes;
    return series;
  }

  #lookup(attributes: Attributes): S {
    const hash = hashAttributes(attributes);
    const count = lastCount;
    let series = this.#byHash.get(hash);
    while (series !== undefined) {
      if (series.keys.length === count && matches(series, attributes)) return series;
      series = series.next;
    }
    if (this.#live.length - (this.#overflow !== undefined && !this.#overflow.evicted ? 1 : 0) >= this.#limit) {
      return this.#overflowSeries();
    }
    return this.#insert(copyAttributes(attributes), hash);
  }

  #insert(attributes: Attributes, hash: number): S {
    const created = this.#create(attributes, hash);
    const head = this.#byHash.get(hash);
    if (head !== undefined) created.next = head;
    this.#byHash.set(hash, created);
    this.#live.push(created);
    return created;
  }

  #overflowSeries(): S {
    const existing = this.#overflow;
    if (existing !== undefined && !existing.evicted) return existing;
    // Not in the hash map: a caller's own {'otel.metric.overflow': true} set stays a separate series.
    const created = this.#create(OVERFLOW_ATTRIBUTES, 0);
    this.#live.push(created);
    return (this.#overflow = created);
  }

  /** Live series in first-seen order (do not mutate). */
  series(): readonly S[] {
    return this.#live;
  }

  /** Forgets every series (delta storages after each collection: the limit applies per cycle). */
  evictAll(): void {
    for (const series of this.#live) series.evicted = true;
    this.#live = [];
    this.#byHash.clear();
  }

  /**
   * Closes a collection cycle of a synchronous storage: delta state is forgotten (the cardinality
   * limit then applies per collection); cumulative series stay and wait for new measurements.
   */
  endCollection(delta: boolean): void {
    if (delta) this.evictAll();
    else for (const series of this.#live) series.touched = false;
  }

  /** Drops series that saw no measurement since the last collection (observable storages). */
  evictUntouched(): void {
    let removed = false;
    for (const series of this.#live) {
      if (series.touched) continue;
      series.evicted = true;
      removed = true;
      if (series === this.#overflow) continue;
      let head = this.#byHash.get(series.hash);
      if (head === series) {
        if (series.next === undefined) this.#byHash.delete(series.hash);
        else this.#byHash.set(series.hash, series.next);
      } else {
        while (head !== undefined && head.next !== series) head = head.next;
        if (head !== undefined) head.next = series.next;
      }
    }
    if (removed) this.#live = this.#live.filter((s) => !s.evicted);
  }
}
