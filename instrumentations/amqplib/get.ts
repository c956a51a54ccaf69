// CLIENT (receive) spans for get, the pull-based read of one message (lib/channel_model.js returns a
// promise, lib/callback_model.js takes a node-style callback). The span ends with the answer: a
// message, linked to its creation context, or false for an empty queue (no message counted).

import { applyInContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { endOperation, finishGet, startGet } from './operations.js';

interface PromiseChannel {
  get(queue: unknown, options?: unknown): Promise<unknown>;
}

interface CallbackChannel {
  get(queue: unknown, options: unknown, callback?: unknown): unknown;
}

function begin(client: MessagingClient, channel: unknown, queue: unknown): MessagingOperation | undefined {
  if (!client.guard.enabled) return undefined;
  try {
    return startGet(client, channel, queue);
  } catch (internal) {
    client.guard.fail(internal);
    return undefined;
  }
}

export function patchPromiseGet(Channel: { prototype: PromiseChannel }, client: MessagingClient): void {
  wrap(Channel.prototype, 'get', (original) =>
    function get(this: unknown, queue: unknown) {
      const operation = begin(client, this, queue);
      if (operation === undefined) return Reflect.apply(original, this, arguments);
      const answer = operation.invoke(original, this, arguments) as Promise<unknown>;
      if (answer === null || typeof answer !== 'object' || typeof answer.then !== 'function') {
        operation.end();
        return answer;
      }
      return answer.then(
        (message) => {
          finishGet(client, operation, queue, message);
          return message;
        },
        (error: unknown) => {
          endOperation(operation, error, true);
          throw error;
        },
      );
    },
  );
}

export function patchCallbackGet(Channel: { prototype: CallbackChannel }, client: MessagingClient): void {
  wrap(Channel.prototype, 'get', (original) =>
    function get(this: unknown, queue: unknown, options: unknown, callback?: unknown) {
      const operation = begin(client, this, queue);
      if (operation === undefined) return Reflect.apply(original, this, arguments);
      // amqplib puts a no-op in place of a missing callback itself; ours stands in for it alike.
      const answered = function (this: unknown, error: unknown, message: unknown) {
        if (error !== null && error !== undefined) endOperation(operation, error, true);
        else finishGet(client, operation, queue, message);
        if (typeof callback === 'function') return applyInContext(operation.parent, callback, this, arguments);
        return undefined;
      };
      return operation.invoke(original, this, [queue, options, answered]);
    },
  );
}
