// A producer service (CommonJS: an http request publishes an order) and a consumer service (an ES
// module worker: consumes it, calls the producer over http, acks), each under bin/otel-instrument,
// on a real RabbitMQ (a throwaway Debian rabbitmq-server, or OTEL_TEST_AMQP_URL). What the real OTLP
// receiver gets: one trace from the http request through the PRODUCER span to the consumer's
// CONSUMER span, its http call and its ack, across the two processes; the messaging metrics of
// both. With the instrumentation disabled by name, the message still flows and nothing of amqplib
// is recorded.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipWithout } from '../support/debian-program.js';
import { GrpcReceiver, type FlatMetric, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, startCli, waitFor, type Running } from '../support/run-cli.js';
import { startRabbitMQ, type RabbitServer } from '../support/servers/rabbitmq.js';

const SCOPE = 'otel-instrument/amqplib';
const [SERVER, CLIENT, PRODUCER, CONSUMER] = [2, 3, 4, 5];
let broker: RabbitServer;
let runs = 0;

interface Run {
  readonly spans: FlatSpan[];
  readonly metrics: FlatMetric[];
  readonly answer: string;
  readonly consumed: string;
  readonly queue: string;
}

function post(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const http = require('node:http') as typeof import('node:http');
    http
      .request(url, { method: 'POST' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject)
      .end();
  });
}

async function runServices(env: NodeJS.ProcessEnv, expect: { spans: number; metrics: boolean }): Promise<Run> {
  const receiver = await GrpcReceiver.start();
  const queue = `otel-e2e-${process.pid}-${++runs}`;
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', OTEL_METRIC_EXPORT_INTERVAL: '500', AMQP_URL: broker.url, AMQP_QUEUE: queue, ...env };
  const running: Running[] = [];
  try {
    const producer = startCli(['node', join(FIXTURES, 'amqplib', 'producer.js')], { ...common, OTEL_SERVICE_NAME: 'orders' });
    running.push(producer);
    const port = Number((await producer.waitForLine(/listening (\d+)/, 20_000))[1]);
    const consumer = startCli(['node', join(FIXTURES, 'amqplib', 'consumer.mjs')], { ...common, OTEL_SERVICE_NAME: 'worker', STOCK_URL: `http://127.0.0.1:${port}/stock` });
    running.push(consumer);
    await consumer.waitForLine(/consuming/, 20_000);
    const answer = await post(`http://127.0.0.1:${port}/orders`);
    const consumed = (await consumer.waitForLine(/consumed (.*)/, 10_000))[1]!;
    for (const child of running) child.child.kill('SIGTERM');
    for (const child of running) {
      const exit = await child.exited(20_000);
      assert.equal(exit.code, 0, exit.stderr);
    }
    const spans = await waitFor(() => receiver.spans().length >= expect.spans && receiver.spans(), `${expect.spans} spans`);
    const metrics = expect.metrics ? await receiver.waitForMetrics((all) => all.some((m) => m.name === 'messaging.client.consumed.messages')) : receiver.metrics();
    return { spans, metrics, answer, consumed, queue };
  } finally {
    for (const child of running) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await receiver.close();
  }
}

describe('amqplib: a producer service and a consumer service, each under otel-instrument', { skip: skipWithout('rabbitmq-server', 'rabbitmq-server') }, () => {
  before(async () => {
    broker = await startRabbitMQ();
  });

  after(async () => {
    await broker?.stop();
  });

  test('one trace from the http request that published to the consumer\'s work, across the processes', async () => {
    // orders: POST server span, publish, GET /stock server span; worker: consume, its http GET, ack.
    const run = await runServices({}, { spans: 6, metrics: true });
    assert.equal(run.answer, 'queued order-1');
    assert.equal(run.consumed, '{"id":"order-1"}');
    const of = (service: string, kind: number) => run.spans.filter((s) => s.resource['service.name'] === service && s.kind === kind);
    const [request] = of('orders', SERVER).filter((s) => s.name.startsWith('POST'));
    const [publish] = of('orders', PRODUCER);
    const [consume] = of('worker', CONSUMER);
    const [ack] = of('worker', CLIENT).filter((s) => s.scope.name === SCOPE);
    const [stockCall] = of('worker', CLIENT).filter((s) => s.name === 'GET');
    const [stock] = of('orders', SERVER).filter((s) => s.name.startsWith('GET'));
    assert.ok(request && publish && consume && ack && stockCall && stock, run.spans.map((s) => `${s.resource['service.name']} ${s.name}`).join(', '));

    assert.equal(publish.name, `publish ${run.queue}`);
    assert.equal(publish.scope.name, SCOPE);
    assert.equal(publish.parentSpanId, request.spanId);
    assert.equal(publish.attributes['messaging.system'], 'rabbitmq');
    assert.equal(publish.attributes['messaging.message.id'], 'order-1');
    assert.equal(publish.attributes['server.address'], '127.0.0.1');
    assert.equal(publish.attributes['server.port'], broker.port);

    assert.equal(consume.name, `consume ${run.queue}`);
    assert.equal(consume.traceId, request.traceId, 'one trace across the processes');
    assert.equal(consume.parentSpanId, publish.spanId);
    assert.deepEqual(consume.links.map((l) => l.spanId), [publish.spanId]);
    assert.equal(consume.attributes['messaging.operation.type'], 'process');
    assert.equal(stockCall.parentSpanId, consume.spanId, "the consumer's work runs in its process span");
    assert.equal(stock.parentSpanId, stockCall.spanId);
    assert.equal(ack.name, `ack ${run.queue}`);
    assert.equal(ack.parentSpanId, consume.spanId);
    // The async handler's span ends with it: after its http call and its ack.
    assert.ok(BigInt(consume.endTimeUnixNano) >= BigInt(ack.endTimeUnixNano));

    const metric = (name: string, service: string) => run.metrics.find((m) => m.name === name && m.resource['service.name'] === service && m.scope.name === SCOPE);
    const sent = metric('messaging.client.sent.messages', 'orders');
    assert.equal(sent?.kind, 'sum');
    assert.equal(sent?.unit, '{message}');
    assert.equal(Number(sent?.points[0]?.value), 1);
    assert.equal(sent?.points[0]?.attributes['messaging.destination.name'], run.queue);
    const duration = metric('messaging.client.operation.duration', 'orders');
    assert.equal(duration?.unit, 's');
    assert.deepEqual(duration?.points[0]?.explicitBounds, [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
    assert.equal(Number(metric('messaging.client.consumed.messages', 'worker')?.points[0]?.value), 1);
    assert.equal(Number(metric('messaging.process.duration', 'worker')?.points[0]?.count), 1);
  });

  test('disabled by name: the order still flows and nothing of amqplib is recorded', async () => {
    const run = await runServices({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib' }, { spans: 3, metrics: false });
    assert.equal(run.consumed, '{"id":"order-1"}');
    assert.deepEqual(run.spans.filter((s) => s.scope.name === SCOPE), []);
    // Without the message's context the consumer's http call starts a trace of its own.
    const [request] = run.spans.filter((s) => s.resource['service.name'] === 'orders' && s.name.startsWith('POST'));
    const [stockCall] = run.spans.filter((s) => s.resource['service.name'] === 'worker' && s.kind === CLIENT);
    assert.ok(request && stockCall);
    assert.notEqual(stockCall.traceId, request.traceId);
    assert.deepEqual(run.metrics.filter((m) => m.name.startsWith('messaging.')), []);
  });
});
