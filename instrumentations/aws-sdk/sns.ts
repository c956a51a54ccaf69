// SNS (messaging/sns.md): Publish and PublishBatch are sends (PRODUCER) to the topic, named
// `{operation} {topic}` by the messaging helper, with messaging.system `aws.sns`, the topic's name
// (the last part of its ARN) as messaging.destination.name and the ARN as aws.sns.topic.arn. A
// publish to a phone number or a mobile endpoint (TargetArn, PhoneNumber) has no topic: its
// destination is left out of the name. The send span's context goes into the message's attributes
// (message-context-middleware.ts), which SNS hands on to SQS subscribers, so their receives link to it.

import type { Attributes, Context, Span } from '@opentelemetry/api';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import type { MessagingOperation } from '../messaging/messaging-client.js';
import { ATTR_MESSAGING_MESSAGE_ID } from '../messaging/semconv.js';
import type { AwsTelemetry } from './aws-call.js';
import { hasAnyField, messageAttributeGetter } from './message-attributes.js';
import { ATTR_AWS_SNS_TOPIC_ARN } from './semconv.js';
import type { Fields, ServiceRules } from './services.js';

/** The topic's name: the last part of its ARN (`arn:aws:sns:us-east-1:123456789012:events`). */
export function topicName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

export const sns: ServiceRules = {
  messaging(aws: AwsTelemetry, method: string, input: Fields, attributes: Attributes, parent: Context): MessagingOperation | undefined {
    if (method !== 'Publish' && method !== 'PublishBatch') return undefined;
    const client = aws.sns;
    const arn = typeof input.TopicArn === 'string' ? input.TopicArn : undefined;
    if (arn !== undefined) attributes[ATTR_AWS_SNS_TOPIC_ARN] = arn;
    const batch = method === 'PublishBatch' && Array.isArray(input.PublishBatchRequestEntries) ? input.PublishBatchRequestEntries.length : undefined;
    const own = method === 'Publish' && hasAnyField(input.MessageAttributes, aws.propagatorFields) ? validSpanContext(client.extract(input.MessageAttributes, messageAttributeGetter)) : undefined;
    return client.start({ type: 'send', name: method, destination: arn === undefined ? undefined : topicName(arn), batchSize: batch, attributes, creationContext: own }, parent);
  },

  responseAttributes(_aws: AwsTelemetry, method: string, output: Fields, span: Span): void {
    if (method === 'Publish' && typeof output.MessageId === 'string') span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, output.MessageId);
  },
};
