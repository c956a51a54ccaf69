// Consumer side: consumer.run({ eachMessage }) gets a process span (CONSUMER) per message, and
// consumer.run({ eachBatch }) one per batch, from the handler's call until it returns or its promise
// settles, with the topic, partition and consumer group (and, for a message, its offset and key). A
// message's span is the child of the context its producer wrote into its headers unless the handler
// runs inside another span (then that is the parent), and links to it either way; a batch's span
// links to each message's (messaging/messaging-client.ts: the rule for every messaging
// instrumentation). A handler that throws or rejects fails the span with the same error, which goes
// on to kafkajs unchanged (it retries or crashes the consumer as before).
//
// kafkajs is given a copy of the app's run() options with the handlers wrapped: the app's own
// options object and functions are not touched.

import type { Link } from '@opentelemetry/api';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { followResult, invokeFor } from '../../src/hook/call-outcome.js';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { KafkaOutcome } from './kafka-outcome.js';
import { singleMessageAttributes, type MessageLike } from './message-attributes.js';
import { OPERATION_PROCESS } from './semconv.js';

type AnyFunction = (...args: any[]) => any;

interface EachMessagePayload {
  readonly topic?: unknown;
  readonly partition?: unknown;
  readonly message?: MessageLike;
}

interface EachBatchPayload {
  readonly batch?: { readonly topic?: unknown; readonly partition?: unknown; readonly messages?: unknown };
}

function partitionId(partition: unknown): string | undefined {
  return typeof partition === 'number' || typeof partition === 'string' ? String(partition) : undefined;
}

/** Runs the app's handler in the span's context; the span ends when it returns or its promise settles. */
function runHandler(operation: MessagingOperation, handler: AnyFunction, self: unknown, args: IArguments): unknown {
  const outcome = new KafkaOutcome(operation);
  return followResult(outcome, invokeFor(outcome, handler, self, args, operation.context));
}

function tracedEachMessage(client: MessagingClient, groupId: string | undefined, handler: AnyFunction): AnyFunction {
  return function eachMessage(this: unknown, payload: EachMessagePayload) {
    let operation: MessagingOperation | undefined;
    try {
      const message = payload?.message;
      if (client.guard.enabled && typeof message === 'object' && message !== null) {
        const headers = message.headers;
        operation = client.startProcess(
          {
            type: 'process',
            name: OPERATION_PROCESS,
            destination: typeof payload.topic === 'string' ? payload.topic : undefined,
            partitionId: partitionId(payload.partition),
            consumerGroup: groupId,
            attributes: singleMessageAttributes(message, client.recordBodySize),
          },
          typeof headers === 'object' && headers !== null ? client.extract(headers) : undefined,
        );
      }
    } catch (error) {
      client.guard.fail(error);
    }
    if (operation === undefined) return Reflect.apply(handler, this, arguments);
    return runHandler(operation, handler, this, arguments);
  };
}

function tracedEachBatch(client: MessagingClient, groupId: string | undefined, handler: AnyFunction): AnyFunction {
  return function eachBatch(this: unknown, payload: EachBatchPayload) {
    let operation: MessagingOperation | undefined;
    try {
      const batch = payload?.batch;
      const messages = batch?.messages;
      if (client.guard.enabled && Array.isArray(messages)) {
        const links: Link[] = [];
        for (const message of messages as MessageLike[]) {
          const headers = message?.headers;
          if (typeof headers !== 'object' || headers === null) continue;
          const created = validSpanContext(client.extract(headers));
          if (created !== undefined) links.push({ context: created });
        }
        operation = client.startProcess(
          {
            type: 'process',
            name: OPERATION_PROCESS,
            destination: typeof batch!.topic === 'string' ? batch!.topic : undefined,
            partitionId: partitionId(batch!.partition),
            consumerGroup: groupId,
            batchSize: messages.length,
          },
          undefined,
          undefined,
          links,
        );
      }
    } catch (error) {
      client.guard.fail(error);
    }
    if (operation === undefined) return Reflect.apply(handler, this, arguments);
    return runHandler(operation, handler, this, arguments);
  };
}

interface RunConfig {
  readonly eachMessage?: unknown;
  readonly eachBatch?: unknown;
}

/** The consumer object kafkajs made for `groupId`: its run() hands kafkajs wrapped handlers. */
export function traceConsumer(client: MessagingClient, consumer: { run?: AnyFunction }, groupId: string | undefined): void {
  const run = consumer.run;
  if (typeof run !== 'function') return;
  consumer.run = function (this: unknown, config: RunConfig | undefined) {
    let args: ArrayLike<unknown> = arguments;
    try {
      if (client.guard.enabled && typeof config === 'object' && config !== null) {
        const copy: Record<string, unknown> = { ...config };
        if (typeof config.eachMessage === 'function') copy.eachMessage = tracedEachMessage(client, groupId, config.eachMessage as AnyFunction);
        if (typeof config.eachBatch === 'function') copy.eachBatch = tracedEachBatch(client, groupId, config.eachBatch as AnyFunction);
        args = [copy, ...Array.prototype.slice.call(arguments, 1)];
      }
    } catch (error) {
      client.guard.fail(error);
    }
    return Reflect.apply(run, this, args);
  };
}
