// OTLP/JSON pieces every signal's encoder writes the same way: int64 as decimal strings, exact
// epoch nanoseconds, proto3 spellings of non-finite doubles, AnyValue, attributes, resource, scope.

import type { Attributes, HrTime, InstrumentationScope, Resource } from '../../../core/types.js';
import { EncodedItem, groupByResourceAndScope } from '../encode-protobuf/envelope.js';

export const INT64_MIN = -9223372036854775808;
export const INT64_MAX_EXCLUSIVE = 9223372036854775808;
// sec * 1e9 + ns stays below 2^53 while sec < 9_007_199.
const EXACT_SEC_LIMIT = 9_007_199;
const NINE_ZEROS = '000000000';

/** Exact decimal string of the epoch nanoseconds in `time` (sec * 1e9 + ns can exceed 2^53). */
export function hrTimeToDecimalNanos(time: HrTime): string {
  let sec = Math.trunc(time[0]);
  let ns = Math.trunc(time[1]);
  if (!Number.isFinite(sec) || !Number.isFinite(ns)) return '0';
  if (ns < 0 || ns >= 1e9) {
    const carry = Math.floor(ns / 1e9);
    sec += carry;
    ns -= carry * 1e9;
  }
  if (sec < 0) return '0';
  if (sec < EXACT_SEC_LIMIT) return String(sec * 1e9 + ns);
  const nsStr = String(ns);
  return String(sec) + NINE_ZEROS.slice(nsStr.length) + nsStr;
}

/** Exact decimal of an integer-valued double in the int64 range (String() rounds above 2^53). */
export function int64String(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/** A double as a JSON value: a number, or the proto3 JSON string for non-finite values. */
export function doubleJson(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return '"NaN"';
  return value > 0 ? '"Infinity"' : '"-Infinity"';
}

export function anyValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return '{"stringValue":' + JSON.stringify(value) + '}';
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        return '{"intValue":"' + int64String(value) + '"}';
      }
      return '{"doubleValue":' + doubleJson(value) + '}';
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'object':
      if (value === null) return '{}';
      if (Array.isArray(value)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += anyValue(value[i]);
        }
        return out + ']}}';
      }
      if (value instanceof Uint8Array) {
        return '{"bytesValue":"' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') + '"}';
      }
      // A map (log bodies and log attributes may nest; span attributes never reach here).
      return '{"kvlistValue":{' + attributesField('values', value as Attributes).slice(1) + '}}';
    default:
      return '{}';
  }
}

/** `,"<field>":[...]` with a leading comma, or '' when there are no (defined) attributes. */
export function attributesField(field: string, attributes: Attributes): string {
  const keys = Object.keys(attributes);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = attributes[key];
    if (value === undefined) continue;
    out += (out === '' ? ',"' + field + '":[' : ',') + '{"key":' + JSON.stringify(key) + ',"value":' + anyValue(value) + '}';
  }
  return out === '' ? '' : out + ']';
}

export function resourceJson(resource: Resource): string {
  // The field starts with a comma; drop it inside the object.
  return '{' + attributesField('attributes', resource.attributes).slice(1) + '}';
}

export function scopeJson(scope: InstrumentationScope): string {
  let out = '';
  if (scope.name) out += ',"name":' + JSON.stringify(scope.name);
  if (scope.version) out += ',"version":' + JSON.stringify(scope.version);
  return '{' + out.slice(1) + '}';
}

/**
 * The request traces and logs share as OTLP/JSON: {"<resources>":[{"resource","<scopes>":[{"scope",
 * "<items>":[...]}]}]}, grouped by resource and scope as the protobuf encoding is.
 */
export function groupedRequestJson<T extends { readonly resource: Resource; readonly scope: InstrumentationScope }>(
  keys: { readonly resources: string; readonly scopes: string; readonly items: string },
  items: readonly (T | EncodedItem)[],
  itemJson: (item: T) => string,
): string {
  let out = '{"' + keys.resources + '":[';
  let firstResource = true;
  for (const [resource, groups] of groupByResourceAndScope(items)) {
    if (!firstResource) out += ',';
    firstResource = false;
    out += '{"resource":' + resourceJson(resource) + ',"' + keys.scopes + '":[';
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (g > 0) out += ',';
      out += '{"scope":' + scopeJson(group.scope) + ',"' + keys.items + '":[';
      const list = group.items;
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        // Protobuf bytes cannot become JSON; http/json branches never encode ahead (bootstrap/batch-pipeline.ts).
        if (item instanceof EncodedItem) throw new Error('an item encoded ahead as protobuf reached the OTLP/JSON encoder');
        out += (i > 0 ? ',' : '') + itemJson(item);
      }
      out += ']';
      if (group.scope.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(group.scope.schemaUrl);
      out += '}';
    }
    out += ']';
    if (resource.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(resource.schemaUrl);
    out += '}';
  }
  return out + ']}';
}
