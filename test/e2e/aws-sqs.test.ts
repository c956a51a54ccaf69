// SQS across two services under the real launcher, against moto's server: a producer (express,
// CommonJS) sends a message per request, a consumer (an ES module) polls the queue and handles each
// message through the received array's map. One trace from the HTTP request to the consumer's work:
// the consumer's `process orders` span is the producer's `SendMessage orders` span's child, and the
// consumer's DeleteMessage its child in turn.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SQSClient, CreateQueueCommand } from '@aws-sdk/client-sqs';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor } from '../support/run-cli.js';
import { skipWithoutMoto, startMoto, type AwsServer } from '../support/servers/aws-local.js';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;
const ORDERS = 3;

describe('an SQS producer and consumer under otel-instrument against moto', { skip: skipWithoutMoto() }, () => {
  let moto: AwsServer;
  let queueUrl: string;

  before(async () => {
    moto = await startMoto();
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
    sqs.destroy();
  });

  after(() => moto?.stop());

  test('the consumer\'s processing of each message is in the trace of the request that sent it', async () => {
    const receiver = await GrpcReceiver.start();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', SQS_ENDPOINT: moto.endpoint, QUEUE_URL: queueUrl };
    const producer = startCli(['node', join(FIXTURES, 'aws-sdk', 'sqs-producer.js')], { ...env, OTEL_SERVICE_NAME: 'shop' });
    const consumer = startCli(['node', join(FIXTURES, 'aws-sdk', 'sqs-consumer.mjs')], { ...env, OTEL_SERVICE_NAME: 'fulfilment' });
    try {
      const port = Number((await producer.waitForLine(/listening (\d+)/, 20_000))[1]);
      await consumer.waitForLine(/polling/, 20_000);
      for (let n = 0; n < ORDERS; n++) assert.equal((await httpGet(`http://127.0.0.1:${port}/orders/${n}`)).status, 200);
      await waitFor(() => (consumer.stdout().match(/processed order/g) ?? []).length >= ORDERS, `${ORDERS} messages processed (${consumer.stdout()})`, 20_000);
      producer.child.kill('SIGTERM');
      consumer.child.kill('SIGTERM');
      const [producerExit, consumerExit] = await Promise.all([producer.exited(), consumer.exited()]);
      const service = (s: FlatSpan) => s.resource['service.name'];
      const spans = await waitFor(() => {
        const all = receiver.spans();
        return all.filter((s) => s.kind === CONSUMER && service(s) === 'fulfilment').length >= ORDERS && all.filter((s) => s.kind === SERVER).length >= ORDERS && all;
      }, `spans (stderr: ${producerExit.stderr} ${consumerExit.stderr})`);

      for (const server of spans.filter((s) => s.kind === SERVER)) {
        assert.equal(server.name, 'GET /orders/:id');
        const inTrace = spans.filter((s) => s.traceId === server.traceId);
        const send = inTrace.find((s) => s.name === 'SendMessage orders')!;
        assert.equal(send.kind, PRODUCER);
        assert.equal(service(send), 'shop');
        const process = inTrace.find((s) => s.name === 'process orders')!;
        assert.ok(process, `the consumer's process span in the trace of ${String(server.attributes['url.path'])}`);
        assert.equal(process.kind, CONSUMER);
        assert.equal(service(process), 'fulfilment');
        assert.equal(process.parentSpanId, send.spanId);
        assert.deepEqual(process.links.map((l) => l.spanId), [send.spanId]);
        const deleted = inTrace.find((s) => s.name === 'DeleteMessage orders')!;
        assert.equal(deleted.parentSpanId, process.spanId);
        // The consumer's receive, a root of its own poll, links to the send.
        const receive = spans.find((s) => s.name === 'ReceiveMessage orders' && s.links.some((l) => l.spanId === send.spanId))!;
        assert.ok(receive, 'a receive linked to the send');
        assert.equal(receive.parentSpanId, '');
      }
    } finally {
      for (const app of [producer, consumer]) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});
