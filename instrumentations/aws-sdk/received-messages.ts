// Process spans for the messages a ReceiveMessage returned, when the app hands them to a callback
// through the array's own forEach or map: the pattern `Messages.forEach(handle)` and
// `await Promise.all(Messages.map(handle))`. The conventions allow process spans in pull-based
// consumers ("MAY be created in addition to receive spans ... by abstraction layers"), and this is how
// a consumer outside any trace joins its producer's: the messaging helper makes each message's
// process span the child of its creation context when no span is active, and always links it
// (messaging-client.ts). Work done in the callback, an SQS DeleteMessage or a database call, nests
// under it. A `for ... of` loop hands no callback: its messages get the receive span's links only.
//
// The two methods are own, non-enumerable properties of the one array the SDK returned (JSON, keys and
// `Array.isArray` stay as they were); each calls Array.prototype's own with the same arguments. A
// callback's promise is replaced, in map's result, by one of the same outcome that ends the span when
// it settles, as the send wrapper does for the SDK's own promise.

import type { Attributes } from '@opentelemetry/api';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import type { MessagingOperation } from '../messaging/messaging-client.js';
import { ATTR_MESSAGING_MESSAGE_ID } from '../messaging/semconv.js';
import type { AwsTelemetry } from './aws-call.js';
import { messageAttributeGetter, type MessageAttributes } from './message-attributes.js';
import { ATTR_AWS_SQS_QUEUE_URL } from './semconv.js';
import { isThenable } from '../../src/hook/call-outcome.js';

type Fields = Record<string, unknown>;
type Callback = (message: unknown, index: number, array: unknown[]) => unknown;

/** One message's process operation, or undefined when it is not ours to record. */
function startProcess(aws: AwsTelemetry, message: unknown, queue: string, queueUrl: string): MessagingOperation | undefined {
  if (!aws.guard.enabled || message === null || typeof message !== 'object') return undefined;
  const fields = message as Fields;
  const attributes: Attributes = { [ATTR_AWS_SQS_QUEUE_URL]: queueUrl };
  if (typeof fields.MessageId === 'string') attributes[ATTR_MESSAGING_MESSAGE_ID] = fields.MessageId;
  const carried = fields.MessageAttributes;
  const creation = carried !== null && typeof carried === 'object' ? aws.sqs.extract(carried as MessageAttributes, messageAttributeGetter) : undefined;
  return aws.sqs.startProcess({ type: 'process', name: 'process', destination: queue, attributes }, creation, activeContext());
}

/** `callback` for one message, in its process span; what it returns, or a promise of the same outcome. */
function processOne(aws: AwsTelemetry, queue: string, queueUrl: string, callback: Callback, self: unknown, args: IArguments): unknown {
  const operation = startProcess(aws, args[0], queue, queueUrl);
  if (operation === undefined) return Reflect.apply(callback, self, args);
  const result = operation.invoke(() => applyInContext(operation.context, callback, self, args), undefined, []);
  if (isThenable(result)) return operation.settle(result);
  operation.end();
  return result;
}

/** Gives `messages` (a ReceiveMessage's output) a forEach and a map that process each message in its own span. Never throws. */
export function processOnIteration(aws: AwsTelemetry, messages: unknown[], queue: string, queueUrl: string): void {
  try {
    const wrapCallback = (callback: unknown): unknown =>
      typeof callback !== 'function'
        ? callback
        : function (this: unknown) {
            return processOne(aws, queue, queueUrl, callback as Callback, this, arguments);
          };
    const methods = {
      forEach(this: unknown[], callback: unknown, thisArg?: unknown): void {
        return Reflect.apply(Array.prototype.forEach, this, [wrapCallback(callback), thisArg]) as void;
      },
      map(this: unknown[], callback: unknown, thisArg?: unknown): unknown[] {
        return Reflect.apply(Array.prototype.map, this, [wrapCallback(callback), thisArg]) as unknown[];
      },
    };
    Object.defineProperty(messages, 'forEach', { value: methods.forEach, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(messages, 'map', { value: methods.map, writable: true, configurable: true, enumerable: false });
  } catch (internal) {
    aws.guard.fail(internal);
  }
}
