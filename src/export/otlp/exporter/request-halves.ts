// An encoded OTLP request cut in two halves, for the 413 rule (split-too-large.ts) where only the bytes
// are left: the launcher sends what its app encoded (src/exit/launcher-export.ts). Every signal's request
// has the same shape, in protobuf (collector/*/v1/*_service.proto, field numbers) and OTLP/JSON alike:
//   request 1: resource_spans | resource_logs | resource_metrics      (repeated)
//     resource_* 2: scope_spans | scope_logs | scope_metrics          (repeated; 1 resource, 3 schema_url)
//       scope_* 2: spans | log_records | metrics                      (repeated; 1 scope, 3 schema_url)
// Each half keeps the resources and scopes of its leaves, byte for byte, and the leaves themselves.

import type { Signal } from '../../../config/types.js';
import { Writer } from '../encode-protobuf/writer.js';

/** One request body and the leaves (spans, log records, metrics) it holds. */
export interface EncodedRequest {
  readonly body: Uint8Array;
  readonly items: number;
}

interface Scope {
  /** The scope message's fields other than its leaves (field 2), as they were. */
  readonly rest: Uint8Array[];
  readonly leaves: Uint8Array[];
}

interface Resource {
  readonly rest: Uint8Array[];
  readonly scopes: Scope[];
}

function readVarint(b: Uint8Array, at: { pos: number }): number {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at.pos >= b.length) throw new Error('truncated varint');
    const byte = b[at.pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** Calls `field` with each field's number and its whole bytes (tag included), and for LEN fields its payload. */
function eachField(b: Uint8Array, field: (num: number, whole: Uint8Array, payload: Uint8Array | undefined) => void): void {
  const at = { pos: 0 };
  while (at.pos < b.length) {
    const start = at.pos;
    const tag = readVarint(b, at);
    const wire = tag & 7;
    let payload: Uint8Array | undefined;
    if (wire === 0) readVarint(b, at);
    else if (wire === 1) at.pos += 8;
    else if (wire === 5) at.pos += 4;
    else if (wire === 2) {
      const length = readVarint(b, at);
      payload = b.subarray(at.pos, at.pos + length);
      at.pos += length;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (at.pos > b.length) throw new Error('truncated field');
    field(Math.floor(tag / 8), b.subarray(start, at.pos), payload);
  }
}

function parseProtobuf(body: Uint8Array): Resource[] {
  const resources: Resource[] = [];
  eachField(body, (num, _whole, payload) => {
    if (num !== 1 || payload === undefined) return;
    const resource: Resource = { rest: [], scopes: [] };
    eachField(payload, (rNum, rWhole, rPayload) => {
      if (rNum !== 2 || rPayload === undefined) {
        resource.rest.push(rWhole);
        return;
      }
      const scope: Scope = { rest: [], leaves: [] };
      eachField(rPayload, (sNum, sWhole, sPayload) => {
        if (sNum === 2 && sPayload !== undefined) scope.leaves.push(sPayload);
        else scope.rest.push(sWhole);
      });
      resource.scopes.push(scope);
    });
    resources.push(resource);
  });
  return resources;
}

/** Tags of the LEN fields 1 and 2 (field number << 3 | wire type 2). */
const FIELD_1 = (1 << 3) | 2;
const FIELD_2 = (2 << 3) | 2;

function leafCount(resource: Resource): number {
  let count = 0;
  for (const scope of resource.scopes) count += scope.leaves.length;
  return count;
}

/** The leaves [from, to) with their scopes and resources; the ones left with no leaf are left out. */
function buildProtobuf(resources: readonly Resource[], from: number, to: number): Uint8Array {
  const w = Writer.create();
  try {
    let index = 0;
    for (const resource of resources) {
      const resourceEnd = index + leafCount(resource);
      if (resourceEnd > from && index < to) {
        w.uint32(FIELD_1).fork();
        for (const part of resource.rest) w.raw(part);
        for (const scope of resource.scopes) {
          const first = Math.max(from - index, 0);
          const end = Math.min(to - index, scope.leaves.length);
          if (first < end) {
            w.uint32(FIELD_2).fork();
            for (const part of scope.rest) w.raw(part);
            for (let i = first; i < end; i++) w.uint32(FIELD_2).bytes(scope.leaves[i]!);
            w.ldelim();
          }
          index += scope.leaves.length;
        }
        w.ldelim();
      }
      index = resourceEnd;
    }
    return w.finish();
  } finally {
    w.release();
  }
}

const JSON_KEYS: Record<Signal, readonly [string, string, string]> = {
  traces: ['resourceSpans', 'scopeSpans', 'spans'],
  logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
  metrics: ['resourceMetrics', 'scopeMetrics', 'metrics'],
};

type JsonObject = Record<string, unknown>;

function jsonHalf(request: JsonObject, keys: readonly [string, string, string], from: number, to: number): Uint8Array {
  const [resourceKey, scopeKey, leafKey] = keys;
  const resources: JsonObject[] = [];
  let index = 0;
  for (const resource of (request[resourceKey] as JsonObject[] | undefined) ?? []) {
    const scopes: JsonObject[] = [];
    for (const scope of (resource[scopeKey] as JsonObject[] | undefined) ?? []) {
      const all = (scope[leafKey] as unknown[] | undefined) ?? [];
      const kept = all.slice(Math.max(0, from - index), Math.max(0, to - index));
      index += all.length;
      if (kept.length > 0) scopes.push({ ...scope, [leafKey]: kept });
    }
    if (scopes.length > 0) resources.push({ ...resource, [scopeKey]: scopes });
  }
  return Buffer.from(JSON.stringify({ [resourceKey]: resources }), 'utf8');
}

function jsonLeafCount(request: JsonObject, keys: readonly [string, string, string]): number {
  const [resourceKey, scopeKey, leafKey] = keys;
  let count = 0;
  for (const resource of (request[resourceKey] as JsonObject[] | undefined) ?? []) {
    for (const scope of (resource[scopeKey] as JsonObject[] | undefined) ?? []) count += ((scope[leafKey] as unknown[] | undefined) ?? []).length;
  }
  return count;
}

/**
 * The two halves of `request` (by leaves: the first half has the first floor(n/2)), or undefined when it
 * has fewer than two leaves or cannot be read. Never throws.
 */
export function requestHalves(signal: Signal, json: boolean, request: EncodedRequest): [EncodedRequest, EncodedRequest] | undefined {
  try {
    if (json) {
      const parsed = JSON.parse(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8')) as JsonObject;
      const keys = JSON_KEYS[signal];
      const count = jsonLeafCount(parsed, keys);
      if (count < 2) return undefined;
      const middle = count >>> 1;
      return [
        { body: jsonHalf(parsed, keys, 0, middle), items: Math.round((request.items * middle) / count) },
        { body: jsonHalf(parsed, keys, middle, count), items: request.items - Math.round((request.items * middle) / count) },
      ];
    }
    const resources = parseProtobuf(request.body);
    let count = 0;
    for (const resource of resources) for (const scope of resource.scopes) count += scope.leaves.length;
    if (count < 2) return undefined;
    const middle = count >>> 1;
    // `items` counts what the drop counts say (spans, log records, metric data points): shared in proportion.
    const first = Math.round((request.items * middle) / count);
    return [
      { body: buildProtobuf(resources, 0, middle), items: first },
      { body: buildProtobuf(resources, middle, count), items: request.items - first },
    ];
  } catch {
    return undefined;
  }
}

/**
 * One request holding all of `requests`, in order. Protobuf: the bodies one after the other, which is
 * the wire format's merge of repeated fields; OTLP/JSON: the resources' lists joined. Throws on a JSON
 * body it cannot read.
 */
export function joinRequests(signal: Signal, json: boolean, requests: readonly EncodedRequest[]): EncodedRequest {
  let items = 0;
  for (const request of requests) items += request.items;
  if (!json) return { body: Buffer.concat(requests.map((request) => request.body)), items };
  const [resourceKey] = JSON_KEYS[signal];
  const resources: unknown[] = [];
  for (const request of requests) {
    const parsed = JSON.parse(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8')) as JsonObject;
    for (const resource of (parsed[resourceKey] as unknown[] | undefined) ?? []) resources.push(resource);
  }
  return { body: Buffer.from(JSON.stringify({ [resourceKey]: resources }), 'utf8'), items };
}
