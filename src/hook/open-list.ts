// The requests whose span is still open, so that exit can end them. A doubly linked list
// through the requests' own state objects, not a Set: V8 replaces a Set's hash table as entries
// come and go, and the replaced table keeps pointing at the entries it held then. Once such a
// table has been promoted, the young-generation GC treats those pointers as live until the next
// full GC, so under load whole request object graphs were promoted with it. Measured on the
// express bench app with tracing: 15% fewer bytes surviving each scavenge and 18% less
// scavenge time per request.

export interface OpenLink {
  openPrev: OpenLink | undefined;
  openNext: OpenLink | undefined;
}

/** Base of the states an OpenList holds: the two links, unset until the state is added. */
export class OpenEntry implements OpenLink {
  openPrev: OpenLink | undefined = undefined;
  openNext: OpenLink | undefined = undefined;
}

export class OpenList<T extends OpenLink> {
  // A sentinel: every listed entry has an openPrev, so "listed" needs no extra field.
  readonly #head: OpenLink = { openPrev: undefined, openNext: undefined };

  add(entry: T): void {
    const head = this.#head;
    const first = head.openNext;
    entry.openPrev = head;
    entry.openNext = first;
    if (first !== undefined) first.openPrev = entry;
    head.openNext = entry;
  }

  /** Unlinks entry; false if it was not listed (already removed, or never added). */
  delete(entry: T): boolean {
    const prev = entry.openPrev;
    if (prev === undefined) return false;
    const next = entry.openNext;
    prev.openNext = next;
    if (next !== undefined) next.openPrev = prev;
    // A removed entry points at nothing, so it cannot keep its old neighbours reachable.
    entry.openPrev = undefined;
    entry.openNext = undefined;
    return true;
  }

  /** Calls fn on every listed entry; fn may delete the entry it is given. */
  forEach(fn: (entry: T) => void): void {
    let entry = this.#head.openNext;
    while (entry !== undefined) {
      const next = entry.openNext;
      fn(entry as T);
      entry = next;
    }
  }
}
