// Kafka's own messaging names (semantic-conventions v1.44, docs/messaging/kafka.md, Development, so
// this is the version we follow); the general messaging ones are in ../messaging/semconv.ts.

export const KAFKA_SYSTEM = 'kafka';
export const OPERATION_SEND = 'send';
export const OPERATION_PROCESS = 'process';

export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
