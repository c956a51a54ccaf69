// The RabbitMQ messaging conventions (semantic-conventions v1.44 docs/messaging/rabbitmq.md,
// Development): RabbitMQ's own attributes, the destination name built from exchange, routing key and
// queue, and error.type for AMQP 0-9-1 reply codes.

export const MESSAGING_SYSTEM_RABBITMQ = 'rabbitmq';
export const ATTR_RABBITMQ_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_RABBITMQ_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';

/** The default exchange's name when a message is published with no routing key (rabbitmq.md). */
const DEFAULT_EXCHANGE = 'amq.default';

/**
 * A send's destination: `{exchange}:{routing key}`, the one that is not empty, else `amq.default`.
 */
export function sendDestination(exchange: string, routingKey: string): string {
  if (exchange !== '') return routingKey !== '' ? `${exchange}:${routingKey}` : exchange;
  return routingKey !== '' ? routingKey : DEFAULT_EXCHANGE;
}

/**
 * A receive's, process's or settle's destination: `{exchange}:{routing key}:{queue}`, empty parts
 * left out, and the routing key once when it equals the queue (a message sent to a queue by name).
 */
export function consumeDestination(exchange: string, routingKey: string, queue: string): string {
  let name = exchange;
  if (routingKey !== '' && routingKey !== queue) name = name === '' ? routingKey : `${name}:${routingKey}`;
  if (queue !== '') name = name === '' ? queue : `${name}:${queue}`;
  return name;
}

/**
 * A queue the broker named (`amq.gen-…`, an exclusive reply or fan-out queue): the conventions'
 * anonymous destination, kept off span names and metrics since each one is new.
 */
export function isServerNamed(name: string): boolean {
  return name.includes('amq.gen-');
}

// AMQP 0-9-1 reply codes (amqp0-9-1.xml, the `constant` class "soft-error" and "hard-error"), as
// error.type in the conventions' lower-case-hyphen form (`channel-error`, `connection-forced`).
const REPLY_CODES: Readonly<Record<number, string>> = {
  311: 'content-too-large',
  312: 'no-route',
  313: 'no-consumers',
  320: 'connection-forced',
  402: 'invalid-path',
  403: 'access-refused',
  404: 'not-found',
  405: 'resource-locked',
  406: 'precondition-failed',
  501: 'frame-error',
  502: 'syntax-error',
  503: 'command-invalid',
  504: 'channel-error',
  505: 'unexpected-frame',
  506: 'resource-error',
  530: 'not-allowed',
  540: 'not-implemented',
  541: 'internal-error',
};

/** error.type for what amqplib failed with: the broker's reply code, a confirm nack, a closed channel. */
export function amqpErrorType(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return REPLY_CODES[code];
  // 0.10 rejects a failed get with the broker's channel.close frame itself.
  const replyCode = closeFrameFields(error)?.replyCode;
  if (typeof replyCode === 'number') return REPLY_CODES[replyCode];
  // amqplib's own messages for a confirm channel's outcomes (lib/channel.js).
  const message = (error as { message?: unknown }).message;
  if (message === 'message nacked') return 'nacked';
  if (message === 'channel closed') return 'channel-closed';
  return undefined;
}

/** The fields of a channel.close frame, when amqplib (0.10) failed an operation with the frame itself. */
export function closeFrameFields(error: unknown): { replyCode?: unknown; replyText?: unknown } | undefined {
  if (error === null || typeof error !== 'object' || error instanceof Error) return undefined;
  const fields = (error as { fields?: unknown }).fields;
  return fields !== null && typeof fields === 'object' && typeof (fields as { replyCode?: unknown }).replyCode === 'number' ? (fields as { replyCode: number; replyText?: unknown }) : undefined;
}
