// Trace context in SQS and SNS message attributes: `{ traceparent: { DataType: 'String',
// StringValue: '00-…' } }`, the carrier the compatibility page (non-normative/compatibility/aws.md)
// names for SQS and SNS. A message has at most 10 attributes: when what the propagator writes would
// take it past that, nothing is added and the message goes as the app wrote it.

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
 * A copy of a message's attributes with what `inject` writes added (only names the app has not used),
 * or the attributes as they are when that would take the message past SQS's 10. The app's own object
 * is never changed.
 */
export function withContextFields(attributes: unknown, inject: (carrier: MessageAttributes) => void): unknown {
  const added: MessageAttributes = {};
  inject(added);
  const own = attributes !== null && typeof attributes === 'object' ? (attributes as MessageAttributes) : undefined;
  let count = 0;
  if (own !== undefined) for (const _ in own) count++;
  let adding = 0;
  for (const key in added) if (own?.[key] === undefined) adding++;
  if (adding === 0 || count + adding > MAX_MESSAGE_ATTRIBUTES) return attributes;
  const copy: MessageAttributes = { ...own };
  for (const key in added) if (copy[key] === undefined) copy[key] = added[key];
  return copy;
}
