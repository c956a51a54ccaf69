// Puts the trace context into the messages an SQS or SNS client sends, and asks SQS for it on
// receive: a middleware at the front of the client's stack ('initialize', high priority), so it runs
// in the send span's context (the SDK's send runs there, aws-call.ts) and before the SDK reads the
// input. It hands the rest of the stack a copy of the input: the app's own command input, which it
// may reuse for the next send, is never changed. Added once per client, on its first send.

import type { Context } from '@opentelemetry/api';
import { activeContext } from '../../src/context/als-context-manager.js';
import type { MessagingClient } from '../messaging/messaging-client.js';
import type { AwsTelemetry } from './aws-call.js';
import { messageAttributeSetter, withContextFields, type MessageAttributes } from './message-attributes.js';
import type { MiddlewareStackLike } from './operation.js';

type Fields = Record<string, unknown>;
type Handler = (args: { input?: unknown }) => Promise<unknown>;

const MIDDLEWARE_NAME = 'otelInstrumentMessageContext';
const withMiddleware = new WeakSet<object>();

/** The message's attributes with the context added (a copy), or as they are when there is no room. */
function attributesWithContext(client: MessagingClient, context: Context, attributes: unknown): unknown {
  return withContextFields(attributes, (carrier: MessageAttributes) => client.inject(context, carrier, messageAttributeSetter));
}

function entriesWithContext(client: MessagingClient, context: Context, entries: unknown): unknown {
  if (!Array.isArray(entries)) return entries;
  const copies: unknown[] = [];
  for (const entry of entries) {
    copies.push(entry !== null && typeof entry === 'object' ? { ...(entry as Fields), MessageAttributes: attributesWithContext(client, context, (entry as Fields).MessageAttributes) } : entry);
  }
  return copies;
}

/** ReceiveMessage: the context's attributes are asked for too, unless the app already asks for all. */
function namesWithContext(aws: AwsTelemetry, names: unknown): unknown {
  const asked = Array.isArray(names) ? (names as unknown[]) : [];
  if (asked.includes('All') || asked.includes('.*')) return names;
  const all = [...asked];
  for (const field of aws.propagatorFields) if (!all.includes(field)) all.push(field);
  return all;
}

/** The input the rest of the stack gets: a copy with the context added, or the input itself. */
function inputWithContext(aws: AwsTelemetry, command: unknown, input: Fields): Fields {
  const context = activeContext();
  switch (command) {
    case 'SendMessageCommand':
      return { ...input, MessageAttributes: attributesWithContext(aws.sqs, context, input.MessageAttributes) };
    case 'SendMessageBatchCommand':
      return { ...input, Entries: entriesWithContext(aws.sqs, context, input.Entries) };
    case 'PublishCommand':
      return { ...input, MessageAttributes: attributesWithContext(aws.sns, context, input.MessageAttributes) };
    case 'PublishBatchCommand':
      return { ...input, PublishBatchRequestEntries: entriesWithContext(aws.sns, context, input.PublishBatchRequestEntries) };
    case 'ReceiveMessageCommand':
      return { ...input, MessageAttributeNames: namesWithContext(aws, input.MessageAttributeNames) };
    default:
      return input;
  }
}

/** Adds the middleware to a client's stack, once. Never throws. */
export function addMessageContextMiddleware(aws: AwsTelemetry, stack: MiddlewareStackLike | undefined): void {
  if (stack === undefined || stack === null || typeof stack.add !== 'function' || withMiddleware.has(stack)) return;
  withMiddleware.add(stack);
  try {
    const middleware = (next: Handler, context: { commandName?: unknown }): Handler =>
      function otelInstrumentMessageContext(args) {
        if (!aws.guard.enabled || args === null || typeof args !== 'object' || args.input === null || typeof args.input !== 'object') return next(args);
        let input: Fields;
        try {
          input = inputWithContext(aws, context.commandName, args.input as Fields);
        } catch (internal) {
          aws.guard.fail(internal);
          return next(args);
        }
        return next(input === args.input ? args : { ...args, input });
      };
    stack.add(middleware, { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME, tags: ['OTEL_INSTRUMENT'] });
  } catch (internal) {
    aws.guard.fail(internal);
  }
}
