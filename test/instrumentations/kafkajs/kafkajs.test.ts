// kafkajs 2.x in this process, instrumented, producing to and consuming from a Kafka-protocol broker
// (test/support/servers/kafka.ts: the emulator unless OTEL_TEST_KAFKA_BROKERS names a real one): send
// spans with the conventions' Kafka attributes and their context in the messages' headers (the app's
// own message objects untouched), process spans for eachMessage and eachBatch parented and linked to
// it, an app's own creation context kept, errors by the error rule, the messaging metrics.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as KafkaJs from 'kafkajs';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider, waitForSpans } from '../../support/in-process-instrumentation.js';
import { startKafka, type KafkaBroker } from '../../support/servers/kafka.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const inProcess = instrumentInProcess(['kafkajs']);
const { Kafka, logLevel } = require('kafkajs') as typeof KafkaJs;
const appTracer = recordingTracerProvider((span) => inProcess.spans.push(span)).getTracer('app');

let broker: KafkaBroker;
let kafka: KafkaJs.Kafka;
let producer: KafkaJs.Producer;
const consumers: KafkaJs.Consumer[] = [];
let topicCount = 0;

before(async () => {
  broker = await startKafka();
  kafka = new Kafka({ clientId: 'in-process', brokers: [broker.broker], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
  producer = kafka.producer();
  await producer.connect();
});

after(async () => {
  for (const consumer of consumers) await consumer.disconnect();
  await producer.disconnect();
  await broker.stop();
});

/** A fresh topic name: each test reads only its own messages. */
function topic(): string {
  return `topic-${process.pid}-${++topicCount}`;
}

/** A consumer of `name` in group `group`, from the beginning, running `handlers`. */
async function consume(name: string, group: string, handlers: Partial<KafkaJs.ConsumerRunConfig>): Promise<void> {
  const consumer = kafka.consumer({ groupId: group, heartbeatInterval: 500, maxWaitTimeInMs: 100, retry: { retries: 3, initialRetryTime: 50 } });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: name, fromBeginning: true });
  await consumer.run(handlers);
}

function inApp<T>(fn: () => T): { span: ReturnType<typeof appTracer.startSpan>; result: T } {
  const span = appTracer.startSpan('app work');
  const result = runWithContext(trace.setSpan(ROOT_CONTEXT, span), fn);
  return { span, result };
}

const ofKind = (kind: number) => (span: ReadableSpan) => span.kind === kind;

test('send is a PRODUCER span under the caller; eachMessage a CONSUMER span under it, linked, with topic, partition, offset, key and group', async () => {
  const name = topic();
  const message = { key: 'order-1', value: 'paid', headers: { app: 'kept' } };
  const { span: app, result } = inApp(() => producer.send({ topic: name, messages: [message] }));
  const metadata = await result;
  app.end();
  assert.equal(metadata[0]!.baseOffset, '0');
  // The app's message object is as it made it.
  assert.deepEqual(message, { key: 'order-1', value: 'paid', headers: { app: 'kept' } });

  const delivered: { headers: string[]; value: string; inside: string | undefined }[] = [];
  await consume(name, 'group-a', {
    eachMessage: async ({ message: received }) => {
      delivered.push({ headers: Object.keys(received.headers ?? {}).sort(), value: String(received.value), inside: trace.getSpan(activeContext())?.spanContext().spanId });
    },
  });
  await waitForSpans(inProcess.spans, 3, 10_000);

  const send = inProcess.spans.find(ofKind(SpanKind.PRODUCER))!;
  assert.equal(send.name, `send ${name}`);
  assert.equal(send.parentSpanId, app.spanContext().spanId);
  assert.deepEqual(send.attributes, {
    'messaging.system': 'kafka',
    'messaging.operation.name': 'send',
    'messaging.operation.type': 'send',
    'messaging.destination.name': name,
    'messaging.kafka.message.key': 'order-1',
  });
  const process = inProcess.spans.find(ofKind(SpanKind.CONSUMER))!;
  assert.equal(process.name, `process ${name}`);
  assert.equal(process.traceId, send.traceId);
  assert.equal(process.parentSpanId, send.spanId);
  assert.deepEqual(process.links.map((link) => link.spanId), [send.spanId]);
  assert.deepEqual(process.attributes, {
    'messaging.system': 'kafka',
    'messaging.operation.name': 'process',
    'messaging.operation.type': 'process',
    'messaging.destination.name': name,
    'messaging.consumer.group.name': 'group-a',
    'messaging.destination.partition.id': '0',
    'messaging.kafka.message.key': 'order-1',
    'messaging.kafka.offset': 0,
  });
  // The consumer got the app's header and the context; the handler ran in the process span.
  assert.deepEqual(delivered, [{ headers: ['app', 'traceparent'], value: 'paid', inside: process.spanId }]);

  const measured = inProcess.measurements.filter((m) => m.attributes['messaging.destination.name'] === name);
  assert.deepEqual(measured.map((m) => `${m.instrument}=${m.instrument.endsWith('messages') ? m.value : 's'}`).sort(), [
    'messaging.client.consumed.messages=1',
    'messaging.client.operation.duration=s',
    'messaging.client.sent.messages=1',
    'messaging.process.duration=s',
  ]);
  const duration = measured.find((m) => m.instrument === 'messaging.process.duration')!;
  assert.equal(duration.attributes['messaging.consumer.group.name'], 'group-a');
  assert.equal(duration.attributes['messaging.kafka.offset'], undefined);
});

test('sendBatch over two topics is one send span with the message count; eachBatch is one process span linked to each message', async () => {
  inProcess.clear();
  const [first, second] = [topic(), topic()];
  await producer.sendBatch({
    topicMessages: [
      { topic: first, messages: [{ value: 'a' }, { value: 'b' }] },
      { topic: second, messages: [{ value: 'c' }] },
    ],
  });
  const send = inProcess.spans.find(ofKind(SpanKind.PRODUCER))!;
  assert.equal(send.name, 'send');
  assert.equal(send.attributes['messaging.batch.message_count'], 3);
  assert.equal(send.attributes['messaging.destination.name'], undefined);
  assert.equal(inProcess.measurements.find((m) => m.instrument === 'messaging.client.sent.messages')?.value, 3);

  const batches: number[] = [];
  await consume(first, 'group-b', {
    eachBatch: async ({ batch }) => {
      batches.push(batch.messages.length);
    },
  });
  await waitForSpans(inProcess.spans, 2, 10_000);
  const process = inProcess.spans.find(ofKind(SpanKind.CONSUMER))!;
  assert.deepEqual(batches, [2]);
  assert.equal(process.name, `process ${first}`);
  assert.equal(process.attributes['messaging.batch.message_count'], 2);
  assert.equal(process.attributes['messaging.consumer.group.name'], 'group-b');
  assert.equal(process.attributes['messaging.kafka.offset'], undefined);
  // No ambient span: a batch has no one parent; it links to the creation context of each message.
  assert.equal(process.parentSpanId, undefined);
  assert.deepEqual(process.links.map((link) => link.spanId), [send.spanId, send.spanId]);
  assert.equal(inProcess.measurements.find((m) => m.instrument === 'messaging.client.consumed.messages')?.value, 2);
});

test("a message with the app's own trace context keeps it: the send span is a CLIENT span linked to it", async () => {
  inProcess.clear();
  const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await producer.send({ topic: topic(), messages: [{ value: 'x', headers: { traceparent: own } }] });
  const [send] = inProcess.spans;
  assert.equal(send!.kind, SpanKind.CLIENT);
  assert.deepEqual(send!.links.map((link) => `${link.traceId}/${link.spanId}`), ['0af7651916cd43dd8448eb211c80319c/b7ad6b7169203331']);
});

test('a handler that throws fails its process span with the same error, and kafkajs retries the message as before', async () => {
  inProcess.clear();
  const name = topic();
  await producer.send({ topic: name, messages: [{ value: 'flaky' }] });
  let calls = 0;
  // kafkajs retries an error that is not one of JavaScript's own (a TypeError would crash the consumer).
  class PaymentDeclined extends Error {}
  const thrown = new PaymentDeclined('handler failed');
  await consume(name, 'group-c', {
    eachMessage: async () => {
      if (++calls === 1) throw thrown;
    },
  });
  await waitForSpans(inProcess.spans, 3, 15_000);
  const processed = inProcess.spans.filter(ofKind(SpanKind.CONSUMER));
  assert.equal(calls, 2);
  assert.equal(processed[0]!.status.code, SpanStatusCode.ERROR);
  assert.equal(processed[0]!.status.message, 'handler failed');
  assert.equal(processed[0]!.attributes['error.type'], 'PaymentDeclined');
  assert.equal(processed[0]!.events[0]?.name, 'exception');
  assert.equal(processed[1]!.status.code, SpanStatusCode.UNSET);
  const failedMeasure = inProcess.measurements.find((m) => m.instrument === 'messaging.process.duration' && m.attributes['error.type'] !== undefined);
  assert.equal(failedMeasure?.attributes['error.type'], 'PaymentDeclined');
});

test('a send that fails rejects with the same error and fails its span', async () => {
  inProcess.clear();
  const closed = kafka.producer();
  const error = await closed.send({ topic: topic(), messages: [{ value: 'never' }] }).catch((e: unknown) => e);
  assert.ok(error instanceof Error);
  const [send] = inProcess.spans;
  assert.equal(send!.status.code, SpanStatusCode.ERROR);
  assert.equal(send!.status.message, (error as Error).message);
  assert.equal(send!.attributes['error.type'], (error as Error).constructor.name);
});
