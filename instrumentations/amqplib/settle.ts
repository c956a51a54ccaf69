// CLIENT (settle) spans for ack, nack and reject, and for ackAll and nackAll, in both APIs: the
// outcome of each delivered message as the app decided it. amqplib writes the frame synchronously
// and the broker does not answer, so the span covers the call; one that throws (the channel is
// closed) fails it and reaches the app as before.

import { wrap } from '../../src/hook/patch.js';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { startSettle } from './operations.js';

const SETTLE_METHODS = [
  ['ack', 'ack', true],
  ['nack', 'nack', true],
  ['reject', 'reject', true],
  ['ackAll', 'ack', false],
  ['nackAll', 'nack', false],
] as const;

export function patchSettle(Channel: { prototype: object }, client: MessagingClient): void {
  for (const [method, operationName, takesMessage] of SETTLE_METHODS) {
    wrap(Channel.prototype as Record<string, (...args: unknown[]) => unknown>, method, (original) =>
      function settle(this: unknown, message: unknown) {
        if (!client.guard.enabled) return Reflect.apply(original, this, arguments);
        let operation: MessagingOperation | undefined;
        try {
          operation = startSettle(client, this, operationName, takesMessage ? message : undefined);
        } catch (internal) {
          client.guard.fail(internal);
        }
        if (operation === undefined) return Reflect.apply(original, this, arguments);
        const result = operation.invoke(original, this, arguments);
        operation.end();
        return result;
      },
    );
  }
}
