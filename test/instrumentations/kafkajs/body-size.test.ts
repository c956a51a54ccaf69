// OTEL_NODE_MESSAGING_BODY_SIZE=true (the conventions' Opt-In messaging.message.body.size): a
// single-message send and each processed message carry the size of the message's value in bytes;
// a batch send does not (the attribute describes single messages).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as KafkaJs from 'kafkajs';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { startKafka } from '../../support/servers/kafka.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const inProcess = instrumentInProcess(['kafkajs'], { OTEL_NODE_MESSAGING_BODY_SIZE: 'true' });
const { Kafka, logLevel } = require('kafkajs') as typeof KafkaJs;

test('send and process spans of single messages carry the value size in bytes', async () => {
  const broker = await startKafka();
  const kafka = new Kafka({ brokers: [broker.broker], logLevel: logLevel.NOTHING });
  const topic = `sizes-${process.pid}`;
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'crème' }] });
  await producer.send({ topic, messages: [{ value: Buffer.alloc(10) }, { value: 'x' }] });
  const consumer = kafka.consumer({ groupId: 'sizes', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
  await waitForSpans(inProcess.spans, 5, 10_000);
  await consumer.disconnect();
  await producer.disconnect();
  await broker.stop();
  const sizes = (kind: number) => inProcess.spans.filter((s) => s.kind === kind).map((s) => s.attributes['messaging.message.body.size']);
  assert.deepEqual(sizes(SpanKind.PRODUCER), [6, undefined]);
  assert.deepEqual(sizes(SpanKind.CONSUMER), [6, 10, 1]);
});
