// The operations of RabbitMQ messaging as the shared messaging helper records them
// (instrumentations/messaging/messaging-client.ts), from what amqplib has in hand at each point:
// publish (send, PRODUCER), a consumer's delivery (process, CONSUMER), get (receive, CLIENT), and
// ack/nack/reject (settle, CLIENT). Names and attributes: semconv.ts.

import type { Attributes, Context } from '@opentelemetry/api';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { MessagingClient, type MessagingOperation } from '../messaging/messaging-client.js';
import type { MessageHeaders } from '../messaging/header-carrier.js';
import { ATTR_MESSAGING_MESSAGE_BODY_SIZE, ATTR_MESSAGING_MESSAGE_CONVERSATION_ID, ATTR_MESSAGING_MESSAGE_ID } from '../messaging/semconv.js';
import { channelServer } from './connection-server.js';
import {
  ATTR_RABBITMQ_DELIVERY_TAG,
  ATTR_RABBITMQ_ROUTING_KEY,
  amqpErrorType,
  closeFrameFields,
  consumeDestination,
  isServerNamed,
  MESSAGING_SYSTEM_RABBITMQ,
  sendDestination,
} from './semconv.js';

let shared: MessagingClient | undefined;

/** The one client of the instrumentation, made by the first patch. */
export function amqpClient(telemetry: Telemetry): MessagingClient {
  shared ??= new MessagingClient(telemetry, { instrumentation: 'amqplib', system: MESSAGING_SYSTEM_RABBITMQ });
  return shared;
}

/** The message properties we read (amqplib's publish options and a delivered message's properties have these names). */
export interface MessageProperties {
  messageId?: unknown;
  correlationId?: unknown;
  headers?: MessageHeaders | null;
}

/** A message as amqplib delivers it (consume, get). */
export interface AmqpMessage {
  fields: { exchange?: string; routingKey?: string; deliveryTag?: number };
  properties?: MessageProperties;
  content?: Buffer;
}

/** The queue a delivered message came from: consume and get know it, ack/nack/reject need it. */
const QUEUE = Symbol('otel-instrument.amqplib.queue');

type Tagged = AmqpMessage & { [QUEUE]?: string };

function messageAttributes(attributes: Attributes, properties: MessageProperties | undefined): Attributes {
  if (properties === undefined || properties === null) return attributes;
  const id = properties.messageId;
  if (id !== undefined && id !== null) attributes[ATTR_MESSAGING_MESSAGE_ID] = String(id);
  const conversation = properties.correlationId;
  if (conversation !== undefined && conversation !== null) attributes[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID] = String(conversation);
  return attributes;
}

/** error.type: the AMQP reply code's name and amqplib's confirm outcomes, else the one rule. */
export function endOperation(operation: MessagingOperation, error?: unknown, failed: boolean = error !== undefined && error !== null): void {
  if (!failed) return operation.end();
  // A close frame (0.10) is recorded by the broker's reply text: it has no message of its own.
  const replyText = closeFrameFields(error)?.replyText;
  operation.end(typeof replyText === 'string' ? replyText : error, true, amqpErrorType(error));
}

/**
 * A publish (or sendToQueue) the app makes now on `channel`. `properties` carry the app's headers
 * (a creation context of its own there is kept and linked). Undefined when not recorded.
 */
export function startSend(
  client: MessagingClient,
  channel: unknown,
  exchange: unknown,
  routingKey: unknown,
  properties: MessageProperties | undefined,
  content: unknown,
): MessagingOperation | undefined {
  const exchangeName = typeof exchange === 'string' ? exchange : '';
  const key = typeof routingKey === 'string' ? routingKey : '';
  const server = channelServer(channel);
  const attributes: Attributes = {};
  if (key !== '') attributes[ATTR_RABBITMQ_ROUTING_KEY] = key;
  messageAttributes(attributes, properties);
  if (client.recordBodySize && Buffer.isBuffer(content)) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = content.length;
  return client.start({
    type: 'send',
    name: 'publish',
    destination: sendDestination(exchangeName, key),
    anonymous: isServerNamed(key) || undefined,
    serverAddress: server?.address,
    serverPort: server?.port,
    attributes,
    creationContext: client.creationContextIn(properties?.headers ?? undefined),
  });
}

/** Our send span's context into the headers amqplib is about to encode (a fresh object per publish). */
export function injectInto(client: MessagingClient, operation: MessagingOperation, properties: { headers?: MessageHeaders | null }): void {
  let headers = properties.headers;
  if (headers === undefined || headers === null) properties.headers = headers = {};
  client.inject(operation.context, headers);
}

function deliveryAttributes(client: MessagingClient, message: AmqpMessage, key: string): Attributes {
  const attributes: Attributes = {};
  if (key !== '') attributes[ATTR_RABBITMQ_ROUTING_KEY] = key;
  const tag = message.fields.deliveryTag;
  if (typeof tag === 'number') attributes[ATTR_RABBITMQ_DELIVERY_TAG] = tag;
  messageAttributes(attributes, message.properties);
  if (client.recordBodySize && Buffer.isBuffer(message.content)) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = message.content.length;
  return attributes;
}

/**
 * A message the broker pushed to a consumer of `queue`, about to be handed to the app's callback.
 * Its creation context comes from the message's headers.
 */
export function startProcess(client: MessagingClient, channel: unknown, queue: string, message: AmqpMessage, ambient: Context): MessagingOperation | undefined {
  (message as Tagged)[QUEUE] = queue;
  const fields = message.fields;
  const exchange = fields.exchange ?? '';
  const key = fields.routingKey ?? '';
  const server = channelServer(channel);
  const headers = message.properties?.headers;
  return client.startProcess(
    {
      type: 'process',
      name: 'consume',
      destination: consumeDestination(exchange, key, queue),
      anonymous: isServerNamed(queue) || isServerNamed(key) || undefined,
      serverAddress: server?.address,
      serverPort: server?.port,
      attributes: deliveryAttributes(client, message, key),
    },
    headers === undefined || headers === null ? undefined : client.extract(headers),
    ambient,
  );
}

/** A get from `queue`: what arrives is known only at the end (finishGet). */
export function startGet(client: MessagingClient, channel: unknown, queue: unknown): MessagingOperation | undefined {
  const name = typeof queue === 'string' ? queue : '';
  const server = channelServer(channel);
  return client.start({
    type: 'receive',
    name: 'get',
    destination: name,
    anonymous: isServerNamed(name) || undefined,
    serverAddress: server?.address,
    serverPort: server?.port,
  });
}

/** A get's answer: a message (linked to its creation context), or false when the queue was empty. */
export function finishGet(client: MessagingClient, operation: MessagingOperation, queue: unknown, message: unknown): void {
  try {
    if (message === false || message === null || typeof message !== 'object') {
      operation.setMessages(0);
    } else {
      const delivered = message as Tagged;
      if (typeof queue === 'string') delivered[QUEUE] = queue;
      const span = operation.span;
      span.setAttributes(deliveryAttributes(client, delivered, delivered.fields?.routingKey ?? ''));
      const headers = delivered.properties?.headers;
      if (headers !== undefined && headers !== null) {
        const created = validSpanContext(client.extract(headers));
        if (created !== undefined) span.addLink({ context: created });
      }
    }
  } catch (internal) {
    client.guard.fail(internal);
  }
  operation.end();
}

/**
 * ack, nack or reject of `message` (undefined for ackAll and nackAll, which settle every
 * outstanding message of the channel and so name no destination).
 */
export function startSettle(client: MessagingClient, channel: unknown, name: string, message: unknown): MessagingOperation | undefined {
  const server = channelServer(channel);
  let destination: string | undefined;
  let anonymous: boolean | undefined;
  let attributes: Attributes | undefined;
  if (message !== null && typeof message === 'object' && (message as AmqpMessage).fields !== undefined) {
    const delivered = message as Tagged;
    const queue = delivered[QUEUE] ?? '';
    const key = delivered.fields.routingKey ?? '';
    destination = consumeDestination(delivered.fields.exchange ?? '', key, queue);
    if (destination === '') destination = undefined;
    anonymous = isServerNamed(queue) || isServerNamed(key) || undefined;
    attributes = {};
    const tag = delivered.fields.deliveryTag;
    if (typeof tag === 'number') attributes[ATTR_RABBITMQ_DELIVERY_TAG] = tag;
    messageAttributes(attributes, delivered.properties);
  }
  return client.start({ type: 'settle', name, destination, anonymous, serverAddress: server?.address, serverPort: server?.port, attributes });
}
