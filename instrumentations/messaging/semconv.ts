// The messaging conventions (semantic-conventions v1.44, docs/messaging/messaging-spans.md and
// messaging-metrics.md; Development, so this is the version we follow): names written once here for
// every messaging instrumentation (amqplib, kafkajs, SQS/SNS). System-specific names
// (messaging.rabbitmq.*, messaging.kafka.*) live with their instrumentation.

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_TEMPLATE = 'messaging.destination.template';
export const ATTR_MESSAGING_DESTINATION_TEMPORARY = 'messaging.destination.temporary';
export const ATTR_MESSAGING_DESTINATION_ANONYMOUS = 'messaging.destination.anonymous';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME = 'messaging.destination.subscription.name';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
export const ATTR_MESSAGING_MESSAGE_ENVELOPE_SIZE = 'messaging.message.envelope.size';

/** messaging.operation.type's well-known values (the conventions' "Operation types" table). */
export type MessagingOperationType = 'create' | 'send' | 'receive' | 'process' | 'settle';

export const MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
export const MESSAGING_PROCESS_DURATION = 'messaging.process.duration';
export const MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
/** The ExplicitBucketBoundaries advice of both duration histograms, in seconds. */
export const MESSAGING_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * `{messaging.operation.name} {destination}`, or the operation name alone when there is no
 * low-cardinality destination (the caller passes the template, or the name when it is neither
 * temporary nor anonymous, or nothing).
 */
export function messagingSpanName(operationName: string, destination: string | undefined): string {
  return destination === undefined || destination === '' ? operationName : `${operationName} ${destination}`;
}
