// When our own code throws inside the kafkajs patches (here: its tracer throws on every span), messages
// are sent and consumed exactly as unpatched, and nothing of kafkajs is recorded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as KafkaJs from 'kafkajs';
import { instrumentWithFaultyTracer } from '../../support/in-process-instrumentation.js';
import { startKafka } from '../../support/servers/kafka.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const spans = instrumentWithFaultyTracer(['kafkajs'], 'kafkajs');
const { Kafka, logLevel } = require('kafkajs') as typeof KafkaJs;

test('a tracer that throws: messages sent and consumed as unpatched, no spans', async () => {
  const broker = await startKafka();
  const kafka = new Kafka({ brokers: [broker.broker], logLevel: logLevel.NOTHING });
  const topic = `fault-${process.pid}`;
  const producer = kafka.producer();
  await producer.connect();
  const [sent] = await producer.send({ topic, messages: [{ key: 'k', value: 'v', headers: { app: '1' } }] });
  const consumer = kafka.consumer({ groupId: 'fault', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = await new Promise<{ key: string; value: string; headers: string[] }>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value), headers: Object.keys(message.headers ?? {}) }),
    });
  });
  await consumer.disconnect();
  await producer.disconnect();
  await broker.stop();
  assert.equal(sent!.errorCode, 0);
  assert.deepEqual(received, { key: 'k', value: 'v', headers: ['app'] });
  assert.deepEqual(spans, []);
});
