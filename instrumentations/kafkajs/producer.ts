// Producer side: one send span (PRODUCER) per producer.send / producer.sendBatch call (and the same
// calls on a transaction), from the call until kafkajs resolves or rejects it, the child of the
// caller's span. Its context is the creation context written into every message's headers (the
// conventions' rule when there are no "Create" spans: none are made, to keep the per-message cost
// low), except in a message whose headers already hold one of the app's: that one is kept, and the
// span is then a CLIENT span linked to it (messaging-spans.md, "Producer spans").
//
// The app's record and messages are not changed: kafkajs is given a copy of each message with its
// headers copied and the context added. A call whose messages all go to one topic names that topic
// (`send orders`); one over several topics is `send`. messaging.batch.message_count is set when a
// call sends other than exactly one message; key, tombstone and partition describe a single message.

import type { Attributes } from '@opentelemetry/api';
import type { MessagingClient, MessagingOperation } from '../messaging/messaging-client.js';
import { followResult } from '../../src/hook/call-outcome.js';
import { KafkaOutcome } from './kafka-outcome.js';
import { singleMessageAttributes, type MessageLike } from './message-attributes.js';
import { OPERATION_SEND } from './semconv.js';

type AnyFunction = (...args: any[]) => any;

interface TopicMessages {
  readonly topic?: unknown;
  readonly messages?: unknown;
}

interface Planned {
  readonly topic: string | undefined;
  readonly count: number;
  readonly partition: string | undefined;
  readonly single: MessageLike | undefined;
}

/** One pass over the call's messages: the topic they share, how many, the partition they share. */
function plan(groups: readonly TopicMessages[]): Planned | undefined {
  let topic: string | undefined;
  let sameTopic = true;
  let count = 0;
  let partition: unknown;
  let samePartition = true;
  let single: MessageLike | undefined;
  for (const group of groups) {
    if (typeof group !== 'object' || group === null || !Array.isArray(group.messages)) return undefined;
    if (typeof group.topic !== 'string') return undefined;
    if (topic === undefined) topic = group.topic;
    else if (topic !== group.topic) sameTopic = false;
    for (const message of group.messages as MessageLike[]) {
      if (typeof message !== 'object' || message === null) return undefined;
      if (count === 0) partition = message.partition;
      else if (partition !== message.partition) samePartition = false;
      single = count === 0 ? message : undefined;
      count++;
    }
  }
  return {
    topic: sameTopic ? topic : undefined,
    count,
    partition: samePartition && (typeof partition === 'number' || typeof partition === 'string') ? String(partition) : undefined,
    single,
  };
}

/** Each group with its messages copied, headers copied and the context added (keys already there kept). */
function withContext(client: MessagingClient, operation: MessagingOperation, groups: readonly TopicMessages[]): TopicMessages[] {
  const copies: TopicMessages[] = [];
  for (const group of groups) {
    const messages = group.messages as MessageLike[];
    const copied: MessageLike[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const headers: Record<string, unknown> = { ...message.headers };
      client.inject(operation.context, headers);
      copied[i] = { ...message, headers };
    }
    copies.push({ ...group, messages: copied });
  }
  return copies;
}

/**
 * Starts the send span for `groups` (undefined when the call is not one we understand: it goes to
 * kafkajs as it is, and kafkajs says what is wrong with it).
 */
function startSend(client: MessagingClient, groups: readonly TopicMessages[]): { operation: MessagingOperation; copies: TopicMessages[] } | undefined {
  const planned = plan(groups);
  if (planned === undefined) return undefined;
  const single = planned.single;
  const attributes: Attributes | undefined = single === undefined ? undefined : singleMessageAttributes(single, client.recordBodySize);
  const operation = client.start({
    type: 'send',
    name: OPERATION_SEND,
    destination: planned.topic,
    partitionId: planned.partition,
    batchSize: planned.count === 1 ? undefined : planned.count,
    attributes,
    creationContext: single === undefined ? undefined : client.creationContextIn(single.headers),
  });
  if (operation === undefined) return undefined;
  operation.setMessages(planned.count);
  return { operation, copies: withContext(client, operation, groups) };
}

/** producer.send({ topic, messages, ... }) */
function tracedSend(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function send(this: unknown, record: (TopicMessages & Record<string, unknown>) | undefined) {
    let started: ReturnType<typeof startSend>;
    let args: ArrayLike<unknown> = arguments;
    try {
      if (client.guard.enabled && typeof record === 'object' && record !== null) {
        started = startSend(client, [record]);
        if (started !== undefined) args = [{ ...record, messages: started.copies[0]!.messages }, ...Array.prototype.slice.call(arguments, 1)];
      }
    } catch (error) {
      client.guard.fail(error);
    }
    if (started === undefined) return Reflect.apply(original, this, arguments);
    return followResult(new KafkaOutcome(started.operation), started.operation.invoke(original, this, args));
  };
}

/** producer.sendBatch({ topicMessages: [{ topic, messages }], ... }) */
function tracedSendBatch(client: MessagingClient, original: AnyFunction): AnyFunction {
  return function sendBatch(this: unknown, batch: { topicMessages?: unknown } | undefined) {
    let started: ReturnType<typeof startSend>;
    let args: ArrayLike<unknown> = arguments;
    try {
      const groups = typeof batch === 'object' && batch !== null ? batch.topicMessages : undefined;
      if (client.guard.enabled && Array.isArray(groups)) {
        started = startSend(client, groups as TopicMessages[]);
        if (started !== undefined) args = [{ ...batch, topicMessages: started.copies }, ...Array.prototype.slice.call(arguments, 1)];
      }
    } catch (error) {
      client.guard.fail(error);
    }
    if (started === undefined) return Reflect.apply(original, this, arguments);
    return followResult(new KafkaOutcome(started.operation), started.operation.invoke(original, this, args));
  };
}

interface Sender {
  send?: AnyFunction;
  sendBatch?: AnyFunction;
  transaction?: AnyFunction;
}

/** The producer (or a transaction) object kafkajs made: its own send and sendBatch are wrapped. */
export function traceSender(client: MessagingClient, sender: Sender): void {
  if (typeof sender.send === 'function') sender.send = tracedSend(client, sender.send);
  if (typeof sender.sendBatch === 'function') sender.sendBatch = tracedSendBatch(client, sender.sendBatch);
}

/** The producer object: send, sendBatch, and those of each transaction it starts. */
export function traceProducer(client: MessagingClient, producer: Sender): void {
  traceSender(client, producer);
  const transaction = producer.transaction;
  if (typeof transaction !== 'function') return;
  producer.transaction = function (this: unknown) {
    const result: unknown = Reflect.apply(transaction, this, arguments);
    if (typeof (result as Promise<Sender> | undefined)?.then !== 'function') return result;
    return (result as Promise<Sender>).then((opened) => {
      try {
        if (typeof opened === 'object' && opened !== null) traceSender(client, opened);
      } catch (error) {
        client.guard.fail(error);
      }
      return opened;
    });
  };
}
