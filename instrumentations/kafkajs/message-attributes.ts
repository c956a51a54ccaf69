// What one Kafka message says about itself on a span that describes it alone: its key (a string,
// or a Buffer read as UTF-8 when it is valid UTF-8: kafka.md asks for the key's canonical string
// form and for nothing when it has none), whether it is a tombstone (a keyed message with a null
// value), its offset once the broker gave it one, and, when OTEL_NODE_MESSAGING_BODY_SIZE is on
// (Opt-In), the size of its value in bytes.

import type { Attributes } from '@opentelemetry/api';
import { ATTR_MESSAGING_MESSAGE_BODY_SIZE } from '../messaging/semconv.js';
import { ATTR_MESSAGING_KAFKA_MESSAGE_KEY, ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE, ATTR_MESSAGING_KAFKA_OFFSET } from './semconv.js';

/** The parts of a kafkajs message (sent or received) read here. */
export interface MessageLike {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: Record<string, unknown> | undefined;
  readonly partition?: unknown;
  readonly offset?: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (key instanceof Uint8Array) {
    try {
      return utf8.decode(key);
    } catch {
      return undefined;
    }
  }
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  return undefined;
}

function bodySize(value: unknown): number | undefined {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return Buffer.byteLength(value);
  return undefined;
}

/** A fresh object each call: the messaging client takes it over. */
export function singleMessageAttributes(message: MessageLike, withBodySize: boolean): Attributes {
  const attributes: Attributes = {};
  if (withBodySize) {
    const size = bodySize(message.value);
    if (size !== undefined) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = size;
  }
  const key = message.key;
  if (key !== undefined && key !== null) {
    const text = keyText(key);
    if (text !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = text;
    if (message.value === null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  }
  const offset = message.offset;
  if (typeof offset === 'string' && offset !== '') {
    const number = Number(offset);
    if (Number.isSafeInteger(number)) attributes[ATTR_MESSAGING_KAFKA_OFFSET] = number;
  }
  return attributes;
}

/** kafkajs's protocol errors carry Kafka's own error name (UNKNOWN_TOPIC_OR_PARTITION): error.type's domain identifier. */
export function kafkaErrorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' && type !== '' ? type : undefined;
}
