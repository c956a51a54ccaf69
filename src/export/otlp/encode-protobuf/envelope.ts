// The envelope traces and logs share: Export*ServiceRequest > Resource* > Scope* > items, with the
// same field numbers in trace.proto and logs.proto (resource_spans/resource_logs = 1; resource = 1,
// scope_* = 2, schema_url = 3; scope = 1, spans/log_records = 2, schema_url = 3).

import { BUFFER_FULL, Writer } from './writer.js';
import type { InstrumentationScope, Resource } from '../../../core/types.js';
import { writeResource, writeScope } from './common.js';
import { claimWritten, nextChunk, releaseFrom, reserve, writableChunk, type Chunk } from './encoded-chunks.js';

const REQ_RESOURCE_ENTRIES = 10; // 1
const R_RESOURCE = 10; // 1
const R_SCOPE_ENTRIES = 18; // 2
const R_SCHEMA_URL = 26; // 3
const S_SCOPE = 10; // 1
const S_SCHEMA_URL = 26; // 3

/**
 * An item (span, log record) already written as its Scope*.items field (tag, length, message), which the
 * batch queue holds in place of the item (encodeAhead): the item's objects die young, and the batch encode
 * is mostly a copy. The bytes live off the JS heap, in a reused chunk (encoded-chunks.ts), until
 * releaseEncoded() says the export that carried them is over.
 */
export class EncodedItem {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly chunk: Chunk;
  readonly start: number;
  readonly end: number;
  released = false;

  constructor(resource: Resource, scope: InstrumentationScope, chunk: Chunk, start: number, end: number) {
    this.resource = resource;
    this.scope = scope;
    this.chunk = chunk;
    this.start = start;
    this.end = end;
  }
}

/**
 * `item` written now by `writeItem`, exactly as writeGroupedRequest would write it inside a batch. Never
 * throws: on a failure the item itself is returned, and the batch encode writes it (and reports the error).
 */
export function encodeAhead<T extends Grouped>(item: T | EncodedItem, writeItem: (w: Writer, item: T) => void): T | EncodedItem {
  if (item instanceof EncodedItem) return item;
  try {
    // Written in place into the current chunk: no copy, and no Writer or buffer view per item. An item
    // that does not fit in what is left goes to the next chunk; one larger than a chunk, to its own.
    const chunk = writableChunk();
    return (
      writtenInPlace(item, writeItem, chunk) ??
      (chunk.used > 0 ? writtenInPlace(item, writeItem, nextChunk()) : undefined) ??
      writtenApart(item, writeItem)
    );
  } catch {
    return item;
  }
}

/** `item` written at chunk.buf[chunk.used, ...), or undefined when it does not fit in the room left. */
function writtenInPlace<T extends Grouped>(item: T, writeItem: (w: Writer, item: T) => void, chunk: Chunk): EncodedItem | undefined {
  const start = chunk.used;
  const w = Writer.bounded(chunk.buf, start);
  let end: number;
  try {
    writeItem(w, item);
    end = w.pos;
  } catch (error) {
    if (error === BUFFER_FULL) return undefined;
    throw error;
  } finally {
    w.release();
  }
  claimWritten(chunk, end);
  return new EncodedItem(item.resource, item.scope, chunk, start, end);
}

/** An item larger than a chunk: written on the scratch, then copied to a chunk of its own. */
function writtenApart<T extends Grouped>(item: T, writeItem: (w: Writer, item: T) => void): EncodedItem {
  const w = Writer.create();
  try {
    writeItem(w, item);
    const chunk = reserve(w.pos);
    const start = chunk.used - w.pos;
    w.copyTo(chunk.buf, start);
    return new EncodedItem(item.resource, item.scope, chunk, start, chunk.used);
  } finally {
    w.release();
  }
}

/**
 * The export that carried these items is over (sent, or given up): their chunk space can be reused. Call
 * it only when nothing will read them again; a second call for an item does nothing.
 */
export function releaseEncoded(items: readonly unknown[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!(item instanceof EncodedItem) || item.released) continue;
    item.released = true;
    releaseFrom(item.chunk);
  }
}

type Grouped = { readonly resource: Resource; readonly scope: InstrumentationScope };

/**
 * Groups by resource identity, then by scope object identity (tracers share one scope object), then merges
 * distinct scope objects that are equal by name + version + schemaUrl. Keeps first-seen order.
 */
export function groupByResourceAndScope<T extends { readonly resource: Resource; readonly scope: InstrumentationScope }>(
  items: readonly T[],
): Map<Resource, { scope: InstrumentationScope; items: readonly T[] }[]> {
  // The common batch has one resource and one scope: it is its own group, without copying it.
  if (items.length > 0 && allShareFirstResourceAndScope(items)) {
    return new Map([[items[0].resource, [{ scope: items[0].scope, items }]]]);
  }
  const byResource = new Map<Resource, Map<InstrumentationScope, T[]>>();
  let lastResource: Resource | undefined;
  let lastScope: InstrumentationScope | undefined;
  let lastList: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.resource === lastResource && item.scope === lastScope) {
      lastList!.push(item);
      continue;
    }
    let scopes = byResource.get(item.resource);
    if (scopes === undefined) {
      scopes = new Map();
      byResource.set(item.resource, scopes);
    }
    let list = scopes.get(item.scope);
    if (list === undefined) {
      list = [];
      scopes.set(item.scope, list);
    }
    list.push(item);
    lastResource = item.resource;
    lastScope = item.scope;
    lastList = list;
  }

  const out = new Map<Resource, { scope: InstrumentationScope; items: readonly T[] }[]>();
  for (const [resource, scopes] of byResource) {
    const groups: { scope: InstrumentationScope; items: T[] }[] = [];
    if (scopes.size === 1) {
      for (const [scope, list] of scopes) groups.push({ scope, items: list });
    } else {
      const byKey = new Map<string, { scope: InstrumentationScope; items: T[] }>();
      for (const [scope, list] of scopes) {
        const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
        const existing = byKey.get(key);
        if (existing === undefined) {
          const group = { scope, items: list };
          byKey.set(key, group);
          groups.push(group);
        } else {
          for (let i = 0; i < list.length; i++) existing.items.push(list[i]);
        }
      }
    }
    out.set(resource, groups);
  }
  return out;
}

function allShareFirstResourceAndScope(items: readonly { readonly resource: Resource; readonly scope: InstrumentationScope }[]): boolean {
  const resource = items[0].resource;
  const scope = items[0].scope;
  for (let i = 1; i < items.length; i++) if (items[i].resource !== resource || items[i].scope !== scope) return false;
  return true;
}

/**
 * Writes the request for `items`, grouped by resource and scope; `writeItem` writes one item with
 * its own tag (field 2 of the scope entry). Items encoded ahead are copied as they are.
 */
export function writeGroupedRequest<T extends Grouped>(
  items: readonly (T | EncodedItem)[],
  writeItem: (w: Writer, item: T) => void,
): Uint8Array {
  const w = Writer.create();
  try {
    writeGroups(w, groupByResourceAndScope(items), writeItem);
    return w.finish();
  } finally {
    w.release(); // after a throw: frees the shared scratch for the next encode
  }
}

function writeGroups<T>(
  w: Writer,
  byResource: Map<Resource, { scope: InstrumentationScope; items: readonly (T | EncodedItem)[] }[]>,
  writeItem: (w: Writer, item: T) => void,
): void {
  for (const [resource, groups] of byResource) {
    w.uint32(REQ_RESOURCE_ENTRIES).fork();
    writeResource(w, R_RESOURCE, resource);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      w.uint32(R_SCOPE_ENTRIES).fork();
      writeScope(w, S_SCOPE, group.scope);
      const list = group.items;
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        if (item instanceof EncodedItem) {
          // Its chunk may hold other items by now: sending those bytes would be silent corruption.
          if (item.released) throw new Error('an item encoded ahead was read after its release');
          // Items encoded one after the other lie back to back in their chunk: one copy for the run.
          let end = item.end;
          for (let next = list[i + 1]; next instanceof EncodedItem && next.chunk === item.chunk && next.start === end && !next.released; next = list[i + 1]) {
            end = next.end;
            i++;
          }
          w.raw(item.chunk.buf, item.start, end);
        } else writeItem(w, item);
      }
      if (group.scope.schemaUrl) w.uint32(S_SCHEMA_URL).string(group.scope.schemaUrl);
      w.ldelim();
    }
    if (resource.schemaUrl) w.uint32(R_SCHEMA_URL).string(resource.schemaUrl);
    w.ldelim();
  }
}
