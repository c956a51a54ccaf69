// CONSUMER (process) spans for the messages the broker pushes to a consumer. consume(queue,
// callback, ...) is wrapped in both APIs (lib/channel_model.js and lib/callback_model.js): amqplib
// keeps the callback it is given under the consumer tag and calls it with each message, so it is
// given, once per consume, a function that knows the queue and runs the app's callback inside the
// message's process span. The span ends when the callback returns, or when the promise it returns
// settles (an async handler); a throw or a rejection fails it and goes on to amqplib exactly as
// before. A null message (the broker cancelled the consumer) is passed through as it is. The span's
// parent is the message's creation context, or none: never the context the connection was opened in.

import { applyInContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { endOperation, startProcess, type AmqpMessage } from './operations.js';

interface ModelChannel {
  consume(queue: unknown, callback: unknown, ...rest: unknown[]): unknown;
}

export function patchConsume(Channel: { prototype: ModelChannel }, client: MessagingClient): void {
  wrap(Channel.prototype, 'consume', (original) =>
    function consume(this: unknown, queue: unknown, callback: unknown) {
      if (!client.guard.enabled || typeof callback !== 'function') return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments);
      args[1] = processing(client, this, typeof queue === 'string' ? queue : '', callback as (message: unknown) => unknown);
      return Reflect.apply(original, this, args);
    },
  );
}

function processing(client: MessagingClient, channel: unknown, queue: string, callback: (message: unknown) => unknown): (message: unknown) => unknown {
  return function (this: unknown, message: unknown) {
    if (message === null || typeof message !== 'object' || !client.guard.enabled) return Reflect.apply(callback, this, arguments);
    let operation: MessagingOperation | undefined;
    try {
      // No ambient span: the broker pushed this message. The context amqplib's socket events run in is
      // the one the connection was opened in (often the first request that needed it): not this message's.
      operation = startProcess(client, channel, queue, message as AmqpMessage, ROOT_CONTEXT);
    } catch (internal) {
      client.guard.fail(internal);
    }
    if (operation === undefined) return Reflect.apply(callback, this, arguments);
    let result: unknown;
    try {
      result = applyInContext(operation.context, callback, this, arguments);
    } catch (error) {
      endOperation(operation, error, true);
      throw error;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      endWhenSettled(operation, result as PromiseLike<unknown>);
    } else {
      operation.end();
    }
    return result;
  };
}

/**
 * An async handler: its span ends when the promise settles. A rejection is handed on unhandled, as it
 * was: the promise we make from it rejects with the same error and nobody handles it either.
 */
function endWhenSettled(operation: MessagingOperation, promise: PromiseLike<unknown>): void {
  promise.then(
    () => operation.end(),
    (error: unknown) => {
      endOperation(operation, error, true);
      throw error;
    },
  );
}
