// Trace context in SQS and SNS message attributes: `{ traceparent: { DataType: 'String',
// StringValue: '00-…' } }`, the carrier the compatibility page (non-normative/compatibility/aws.md)
// names for SQS and SNS. A message has at most 10 attributes: when the context's fields would take
// it past that, nothing is added and the message goes as the app wrote it.

import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

export type MessageAttributes = Record<string, unknown>;

export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Writes a String attribute, only where the app has none of that name (its own context is kept). */
export const messageAttributeSetter: TextMapSetter<MessageAttributes> = {
  set(attributes, key, value) {
    if (attributes[key] === undefined) attributes[key] = { DataType: 'String', StringValue: value };
  },
};

/** Reads a String attribute's value. */
export const messageAttributeGetter: TextMapGetter<MessageAttributes> = {
  get(attributes, key) {
    const attribute = attributes[key] as { StringValue?: unknown } | undefined;
    return attribute !== null && typeof attribute === 'object' && typeof attribute.StringValue === 'string' ? attribute.StringValue : undefined;
  },
  keys(attributes) {
    return Object.keys(attributes);
  },
};

/** Whether `attributes` has any of the propagator's `fields`: the app put its own context there. */
export function hasAnyField(attributes: unknown, fields: readonly string[]): attributes is MessageAttributes {
  if (attributes === null || typeof attributes !== 'object') return false;
  for (let i = 0; i < fields.length; i++) if ((attributes as MessageAttributes)[fields[i]!] !== undefined) return true;
  return false;
}

/**
 * A copy of a message's attributes with the context's fields added by `inject`, or the attributes
 * as they are when there is no room for them. The app's own object is never changed.
 */
export function withContextFields(attributes: unknown, fields: readonly string[], inject: (carrier: MessageAttributes) => void): unknown {
  const copy: MessageAttributes = attributes !== null && typeof attributes === 'object' ? { ...(attributes as MessageAttributes) } : {};
  let count = 0;
  for (const _ in copy) count++;
  for (let i = 0; i < fields.length; i++) if (copy[fields[i]!] === undefined) count++;
  if (count > MAX_MESSAGE_ATTRIBUTES) return attributes;
  inject(copy);
  return Object.keys(copy).length === 0 ? attributes : copy;
}
