// Trace context in a message's headers, as a plain object of header name -> value: AMQP's
// `properties.headers`, Kafka's record headers. The configured propagator (tracecontext, baggage,
// b3, ...) reads and writes through these, so a message carries whatever the HTTP headers would.

import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** A message's headers: values are strings, or Buffers (Kafka), or arrays of either (Kafka). */
export type MessageHeaders = Record<string, unknown>;

/**
 * Writes a key only when the message has none: a creation context the app put there itself is kept
 * as it is (messaging-spans.md, "Producer spans": it SHOULD NOT be modified).
 */
export const messageHeaderSetter: TextMapSetter<MessageHeaders> = {
  set(headers, key, value) {
    if (headers[key] === undefined) headers[key] = value;
  },
};

/** Reads a string, a Buffer as UTF-8, or the first of an array of them; anything else is no value. */
export const messageHeaderGetter: TextMapGetter<MessageHeaders> = {
  get(headers, key) {
    return headerText(headers[key]);
  },
  keys(headers) {
    return Object.keys(headers);
  },
};

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value) && value.length !== 0) return headerText(value[0]);
  return undefined;
}
