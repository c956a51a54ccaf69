// SQS (messaging/sqs.md): SendMessage and SendMessageBatch are sends (PRODUCER), ReceiveMessage a
// receive, DeleteMessage(Batch) and ChangeMessageVisibility(Batch) settles, each named
// `{operation} {queue}` by the messaging helper, with messaging.system `aws_sqs`, the queue's name
// as messaging.destination.name and its URL as aws.sqs.queue.url. messaging.operation.name is the
// SQS action (`SendMessage`): the system's own name for the operation. Other SQS calls
// (CreateQueue, GetQueueUrl, ...) are plain AWS calls, `SQS.CreateQueue`.
//
// The send span's context goes into each message's attributes (message-context-middleware.ts), and a
// receive asks SQS for those attributes and links its span to each message's creation context (the
// conventions' default for pull-based consumers: a receive span SHOULD link to each message's creation
// context). Messages the app then hands to a callback through the array's forEach or map are each
// processed in a process span that joins the producer's trace (received-messages.ts).

import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import type { MessagingOperation } from '../messaging/messaging-client.js';
import type { MessagingOperationType } from '../messaging/semconv.js';
import { ATTR_MESSAGING_BATCH_MESSAGE_COUNT, ATTR_MESSAGING_MESSAGE_ID } from '../messaging/semconv.js';
import type { AwsTelemetry } from './aws-call.js';
import { hasAnyField, messageAttributeGetter, type MessageAttributes } from './message-attributes.js';
import { processOnIteration } from './received-messages.js';
import { ATTR_AWS_SQS_QUEUE_URL } from './semconv.js';
import type { Fields, ServiceRules } from './services.js';

const TYPES = new Map<string, MessagingOperationType>([
  ['SendMessage', 'send'],
  ['SendMessageBatch', 'send'],
  ['ReceiveMessage', 'receive'],
  ['DeleteMessage', 'settle'],
  ['DeleteMessageBatch', 'settle'],
  ['ChangeMessageVisibility', 'settle'],
  ['ChangeMessageVisibilityBatch', 'settle'],
]);

/** The queue's name: the last segment of its URL (`https://sqs.us-east-1.amazonaws.com/123456789012/orders`). */
export function queueName(url: string): string {
  const end = url.endsWith('/') ? url.length - 1 : url.length;
  const slash = url.lastIndexOf('/', end - 1);
  return url.slice(slash + 1, end);
}

export const sqs: ServiceRules = {
  messaging(aws: AwsTelemetry, method: string, input: Fields, attributes: Attributes, parent: Context): MessagingOperation | undefined {
    const type = TYPES.get(method);
    const url = input.QueueUrl;
    if (type === undefined || typeof url !== 'string') return undefined;
    attributes[ATTR_AWS_SQS_QUEUE_URL] = url;
    const client = aws.sqs;
    const batch = method.endsWith('Batch') && Array.isArray(input.Entries) ? input.Entries.length : undefined;
    const own = method === 'SendMessage' && hasAnyField(input.MessageAttributes, aws.propagatorFields) ? validSpanContext(client.extract(input.MessageAttributes, messageAttributeGetter)) : undefined;
    return client.start({ type, name: method, destination: queueName(url), batchSize: batch, attributes, creationContext: own }, parent);
  },

  responseAttributes(aws: AwsTelemetry, method: string, output: Fields, span: Span, messaging: MessagingOperation | undefined, input: Fields | undefined): void {
    if (method === 'SendMessage') {
      if (typeof output.MessageId === 'string') span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, output.MessageId);
      return;
    }
    if (method !== 'ReceiveMessage' || messaging === undefined) return;
    const messages = Array.isArray(output.Messages) ? (output.Messages as Fields[]) : [];
    messaging.setMessages(messages.length);
    if (messages.length === 0) return;
    const url = input?.QueueUrl;
    if (typeof url === 'string') processOnIteration(aws, messages, queueName(url), url);
    if (!span.isRecording()) return;
    span.setAttribute(ATTR_MESSAGING_BATCH_MESSAGE_COUNT, messages.length);
    if (messages.length === 1 && typeof messages[0]!.MessageId === 'string') span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, messages[0]!.MessageId);
    const links: Link[] = [];
    for (const message of messages) {
      if (message === null || typeof message !== 'object' || message.MessageAttributes === undefined) continue;
      const created = validSpanContext(aws.sqs.extract(message.MessageAttributes as MessageAttributes, messageAttributeGetter));
      if (created !== undefined) links.push({ context: created });
    }
    if (links.length !== 0) span.addLinks(links);
  },
};
