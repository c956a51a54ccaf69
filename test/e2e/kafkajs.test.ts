// A producer service (an HTTP request sends an order) and a consumer service, each under
// bin/otel-instrument, as CommonJS apps and as ES modules, on a Kafka-protocol broker
// (test/support/servers/kafka.ts: the emulator unless OTEL_TEST_KAFKA_BROKERS names a real broker).
// What the real OTLP receiver gets: one trace from the HTTP request through the send span to the
// consumer's process span, the conventions' attributes on both, the messaging metrics. With the
// instrumentation disabled by name, the order still goes through and only the HTTP span is recorded.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatMetric, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor, type Running } from '../support/run-cli.js';
import { startKafka, type KafkaBroker } from '../support/servers/kafka.js';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;
const SCOPE = 'otel-instrument/kafkajs';

let broker: KafkaBroker;
before(async () => {
  broker = await startKafka();
});
after(() => broker.stop());

let runs = 0;

interface ShopRun {
  readonly topic: string;
  readonly spans: FlatSpan[];
  readonly metrics: FlatMetric[];
}

async function order(producerApp: string, consumerApp: string, env: NodeJS.ProcessEnv, expect: (spans: FlatSpan[]) => boolean, metrics: boolean): Promise<ShopRun> {
  const receiver = await GrpcReceiver.start();
  const topic = `orders-${process.pid}-${++runs}`;
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', KAFKA_BROKER: broker.broker, TOPIC: topic, ...env };
  const apps: Running[] = [];
  try {
    const consumer = startCli(['node', join(FIXTURES, 'kafkajs', consumerApp)], { ...common, OTEL_SERVICE_NAME: 'shop-consumer' });
    apps.push(consumer);
    await consumer.waitForLine(/consuming/);
    const producer = startCli(['node', join(FIXTURES, 'kafkajs', producerApp)], { ...common, OTEL_SERVICE_NAME: 'shop-producer' });
    apps.push(producer);
    const port = Number((await producer.waitForLine(/listening (\d+)/))[1]);
    const answer = await httpGet(`http://127.0.0.1:${port}/order?id=order-7`);
    assert.equal(answer.body, 'sent');
    await consumer.waitForLine(/consumed order-7 \{"id":"order-7","total":42\}/);
    for (const app of apps) app.child.kill('SIGTERM');
    for (const app of apps) await app.exited();
    const spans = await waitFor(() => expect(receiver.spans()) && receiver.spans(), 'the spans');
    const received = metrics ? await receiver.waitForMetrics((all) => all.filter((m) => m.scope.name === SCOPE).length >= 4) : receiver.metrics();
    return { topic, spans, metrics: received };
  } finally {
    for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await receiver.close();
  }
}

const ours = (spans: FlatSpan[]): FlatSpan[] => spans.filter((s) => s.scope.name === SCOPE);
const enough = (spans: FlatSpan[]): boolean => ours(spans).length >= 2 && spans.some((s) => s.kind === SERVER);

describe('kafkajs producer and consumer services, each under otel-instrument', () => {
  for (const [variant, producerApp, consumerApp] of [
    ['CommonJS', 'producer.js', 'consumer.js'],
    ['ES modules', 'producer.mjs', 'consumer.mjs'],
  ] as const) {
    test(`${variant}: one trace from the HTTP request through the send to the consumer's processing, the metrics`, async () => {
      const run = await order(producerApp, consumerApp, {}, enough, true);
      const request = run.spans.find((s) => s.kind === SERVER && s.resource['service.name'] === 'shop-producer')!;
      const send = ours(run.spans).find((s) => s.kind === PRODUCER)!;
      const process = ours(run.spans).find((s) => s.kind === CONSUMER)!;
      assert.equal(send.resource['service.name'], 'shop-producer');
      assert.equal(send.name, `send ${run.topic}`);
      assert.equal(send.parentSpanId, request.spanId);
      assert.equal(send.traceId, request.traceId);
      assert.equal(send.attributes['messaging.system'], 'kafka');
      assert.equal(send.attributes['messaging.kafka.message.key'], 'order-7');
      assert.equal(process.resource['service.name'], 'shop-consumer');
      assert.equal(process.name, `process ${run.topic}`);
      assert.equal(process.traceId, request.traceId);
      assert.equal(process.parentSpanId, send.spanId);
      assert.deepEqual(process.links.map((link) => link.spanId), [send.spanId]);
      assert.equal(process.attributes['messaging.consumer.group.name'], 'shop');
      assert.equal(process.attributes['messaging.destination.partition.id'], '0');
      assert.equal(process.attributes['messaging.kafka.offset'], 0);

      const metric = (name: string, service: string): FlatMetric | undefined =>
        run.metrics.find((m) => m.name === name && m.resource['service.name'] === service && m.scope.name === SCOPE);
      const total = (m: FlatMetric | undefined): number => (m === undefined ? 0 : m.points.reduce((sum, point) => sum + Number(point.count ?? point.value), 0));
      assert.equal(total(metric('messaging.client.sent.messages', 'shop-producer')), 1);
      assert.equal(total(metric('messaging.client.operation.duration', 'shop-producer')), 1);
      assert.equal(total(metric('messaging.client.consumed.messages', 'shop-consumer')), 1);
      assert.equal(total(metric('messaging.process.duration', 'shop-consumer')), 1);
      assert.equal(metric('messaging.process.duration', 'shop-consumer')!.points[0]!.attributes['messaging.destination.name'], run.topic);
    });
  }

  test('disabled by name: the order goes through as before and nothing of kafkajs is recorded', async () => {
    const run = await order('producer.js', 'consumer.js', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafkajs' }, (spans) => spans.some((s) => s.kind === SERVER), false);
    assert.deepEqual(ours(run.spans), []);
    assert.deepEqual(run.metrics.filter((m) => m.scope.name === SCOPE), []);
  });
});
