// PRODUCER spans for publish and sendToQueue, in both APIs and every version: both end in
// lib/channel.js's `sendMessage(fields, properties, content)`, which encodes the message. There the
// span starts, its context goes into `properties.headers` (amqplib's publish made that object fresh
// for this message, inheriting the app's own headers, so the app's object is never written to), and
// the span ends when the frames are written: a plain channel has no further outcome.
//
// A confirm channel's publish ends at the broker's confirm instead: ConfirmChannel#publish (one per
// API file) starts the span and passes amqplib a confirm callback that ends it (ack, nack, or the
// channel closing) before calling the app's own, if any, in the publisher's context. 0.10 queues
// that callback before sendMessage runs and 2.x after, so the span is started by the wrapper and
// handed to sendMessage through `confirming`.

import { applyInContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { endOperation, injectInto, startSend, type MessageProperties } from './operations.js';

/** The confirm-channel publish being made right now (set and cleared around a synchronous call). */
let confirming: MessagingOperation | undefined;

interface ChannelClass {
  prototype: { sendMessage(fields: unknown, properties: unknown, content: unknown): unknown };
}

interface ConfirmChannelClass {
  prototype: { publish(exchange: unknown, routingKey: unknown, content: unknown, options: unknown, callback?: unknown): unknown };
}

interface PublishFields {
  exchange?: unknown;
  routingKey?: unknown;
}

export function patchSendMessage(BaseChannel: ChannelClass, client: MessagingClient): void {
  wrap(BaseChannel.prototype, 'sendMessage', (original) =>
    function sendMessage(this: unknown, fields: PublishFields, properties: MessageProperties, content: unknown) {
      const pending = confirming;
      if (pending !== undefined) {
        confirming = undefined;
        if (properties !== null && typeof properties === 'object') {
          try {
            injectInto(client, pending, properties);
          } catch (internal) {
            client.guard.fail(internal);
          }
        }
        return Reflect.apply(original, this, arguments);
      }
      if (!client.guard.enabled || fields === null || typeof fields !== 'object' || properties === null || typeof properties !== 'object') {
        return Reflect.apply(original, this, arguments);
      }
      let operation: MessagingOperation | undefined;
      try {
        operation = startSend(client, this, fields.exchange, fields.routingKey, properties, content);
        if (operation !== undefined) injectInto(client, operation, properties);
      } catch (internal) {
        client.guard.fail(internal);
      }
      if (operation === undefined) return Reflect.apply(original, this, arguments);
      const written = operation.invoke(original, this, arguments);
      operation.end();
      return written;
    },
  );
}

export function patchConfirmPublish(ConfirmChannel: ConfirmChannelClass, client: MessagingClient): void {
  wrap(ConfirmChannel.prototype, 'publish', (original) =>
    function publish(this: unknown, exchange: unknown, routingKey: unknown, content: unknown, options: unknown, callback?: unknown) {
      if (!client.guard.enabled) return Reflect.apply(original, this, arguments);
      let operation: MessagingOperation | undefined;
      try {
        operation = startSend(client, this, exchange, routingKey, (options ?? undefined) as MessageProperties | undefined, content);
      } catch (internal) {
        client.guard.fail(internal);
      }
      if (operation === undefined) return Reflect.apply(original, this, arguments);
      const confirmed = confirmCallback(operation, callback);
      confirming = operation;
      try {
        return operation.invoke(original, this, [exchange, routingKey, content, options, confirmed]);
      } finally {
        confirming = undefined;
      }
    },
  );
}

/**
 * What amqplib calls with the broker's answer: null for an ack, an Error for a nack or a closed
 * channel. Where the app gave no callback amqplib would have kept `false` in the same slot and
 * called nothing; a function there changes nothing else (waitForConfirms treats both alike).
 */
function confirmCallback(operation: MessagingOperation, callback: unknown): (error: unknown) => unknown {
  return function (this: unknown, error: unknown) {
    endOperation(operation, error);
    if (typeof callback === 'function') return applyInContext(operation.parent, callback, this, arguments);
    return undefined;
  };
}
