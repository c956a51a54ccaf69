// amqplib 0.10 and 2.x in this process, through the real module hooks, against a real RabbitMQ (a
// throwaway Debian rabbitmq-server, or OTEL_TEST_AMQP_URL): PRODUCER spans for publish and
// sendToQueue with their context in the message headers, CONSUMER spans for deliveries (children of
// the producer's span, linked to it), CLIENT spans for get and for ack/nack/reject, confirm channels
// ended by the broker's confirm, both APIs, errors, and the messaging metrics.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context, Span } from '@opentelemetry/api';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startRabbitMQ, type RabbitServer } from '../../support/servers/rabbitmq.js';
import { loadAmqplibVersions, type AmqpVersion } from './amqplib-versions.js';

const inProcess = instrumentInProcess(['amqplib']);
const requestTracer = inProcess.hooks.telemetryFor('test-requests').tracer;
const SCOPE = 'otel-instrument/amqplib';

let server: RabbitServer;
let versions: AmqpVersion[] = [];
let queueCount = 0;

function request(name = 'POST /orders'): { span: Span; context: Context; run<T>(fn: () => T): T } {
  const span = requestTracer.startSpan(name, { kind: SpanKind.SERVER });
  const context = trace.setSpan(ROOT_CONTEXT, span);
  return { span, context, run: (fn) => runWithContext(context, fn) };
}

function amqpSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.scope.name === SCOPE);
}

async function waitForSpans(predicate: (spans: ReadableSpan[]) => boolean, what: string): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5000;
  while (!predicate(amqpSpans())) {
    if (Date.now() > deadline) throw new Error(`waiting for ${what}: ${amqpSpans().map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return amqpSpans();
}

function named(name: string): ReadableSpan[] {
  return amqpSpans().filter((span) => span.name === name);
}

function freshQueue(): string {
  return `otel-q-${process.pid}-${++queueCount}`;
}

function spanId(span: Span): string {
  return span.spanContext().spanId;
}

describe('amqplib against a real RabbitMQ', { skip: skipWithout('rabbitmq-server', 'rabbitmq-server') }, () => {
  before(async () => {
    server = await startRabbitMQ();
    versions = loadAmqplibVersions(inProcess);
  });

  after(async () => {
    await server?.stop();
  });

  for (const index of [0, 1]) {
    const label = ['amqplib 0.10', 'amqplib 2'][index]!;

    test(`${label}: sendToQueue in a request is its PRODUCER child; the delivery is a CONSUMER child of it, the ack a CLIENT child of that`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      try {
        const channel = await connection.createChannel();
        const queue = freshQueue();
        await channel.assertQueue(queue, { exclusive: true });
        const appHeaders = { tenant: 'a' };
        const req = request();
        const written = req.run(() => channel.sendToQueue(queue, Buffer.from('hello'), { messageId: 'm-1', correlationId: 'c-1', headers: appHeaders }));
        req.span.end();
        assert.equal(written, true);
        assert.deepEqual(appHeaders, { tenant: 'a' }, "the app's headers object is not written to");

        let inHandler: string | undefined;
        let received: any;
        await new Promise<void>((resolve) => {
          channel.consume(queue, (message: any) => {
            inHandler = trace.getSpan(activeContext())?.spanContext().spanId;
            received = message;
            channel.ack(message);
            resolve();
          });
        });
        const spans = await waitForSpans((all) => all.length >= 3, 'publish, consume and ack');
        const publish = spans.find((s) => s.name === `publish ${queue}`)!;
        const consume = spans.find((s) => s.name === `consume ${queue}`)!;
        const ack = spans.find((s) => s.name === `ack ${queue}`)!;
        assert.ok(publish && consume && ack, spans.map((s) => s.name).join(', '));

        assert.equal(publish.kind, SpanKind.PRODUCER);
        assert.equal(publish.parentSpanId, spanId(req.span));
        assert.equal(publish.traceId, req.span.spanContext().traceId);
        assert.deepEqual(publish.attributes, {
          'messaging.system': 'rabbitmq',
          'messaging.operation.name': 'publish',
          'messaging.operation.type': 'send',
          'messaging.destination.name': queue,
          'server.address': '127.0.0.1',
          'server.port': server.port,
          'messaging.rabbitmq.destination.routing_key': queue,
          'messaging.message.id': 'm-1',
          'messaging.message.conversation_id': 'c-1',
        });
        assert.equal(received.properties.headers.traceparent, `00-${publish.traceId}-${publish.spanId}-01`);
        assert.equal(received.properties.headers.tenant, 'a');

        assert.equal(consume.kind, SpanKind.CONSUMER);
        assert.equal(consume.traceId, publish.traceId);
        assert.equal(consume.parentSpanId, publish.spanId);
        assert.equal(consume.links[0]?.spanId, publish.spanId);
        assert.equal(inHandler, consume.spanId, 'the handler runs in its process span');
        assert.equal(consume.attributes['messaging.operation.type'], 'process');
        assert.equal(consume.attributes['messaging.operation.name'], 'consume');
        assert.equal(consume.attributes['messaging.destination.name'], queue);
        assert.equal(consume.attributes['messaging.rabbitmq.message.delivery_tag'], 1);
        assert.equal(consume.attributes['messaging.message.id'], 'm-1');

        assert.equal(ack.kind, SpanKind.CLIENT);
        assert.equal(ack.parentSpanId, consume.spanId);
        assert.equal(ack.attributes['messaging.operation.type'], 'settle');
        assert.equal(ack.attributes['messaging.operation.name'], 'ack');
        assert.equal(ack.attributes['messaging.rabbitmq.message.delivery_tag'], 1);

        const measured = inProcess.measurements.filter((m) => m.scope === SCOPE);
        const of = (instrument: string) => measured.filter((m) => m.instrument === instrument);
        assert.deepEqual(
          of('messaging.client.sent.messages').map((m) => [m.value, m.attributes['messaging.destination.name'], m.attributes['messaging.message.id']]),
          [[1, queue, undefined]],
        );
        assert.deepEqual(of('messaging.client.consumed.messages').map((m) => [m.value, m.attributes['messaging.operation.name']]), [[1, 'consume']]);
        assert.deepEqual(of('messaging.process.duration').length, 1);
        assert.deepEqual(
          of('messaging.client.operation.duration').map((m) => m.attributes['messaging.operation.name']).sort(),
          ['ack', 'publish'],
        );
        await channel.close();
      } finally {
        await connection.close();
      }
    });

    test(`${label}: an exchange and routing key name the destination; nack and reject are settle spans`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      try {
        const channel = await connection.createChannel();
        const exchange = `otel-ex-${process.pid}-${index}`;
        const queue = freshQueue();
        await channel.assertExchange(exchange, 'direct', { autoDelete: true });
        await channel.assertQueue(queue, { exclusive: true });
        await channel.bindQueue(queue, exchange, 'orders.created');
        channel.publish(exchange, 'orders.created', Buffer.from('1'));
        channel.publish(exchange, 'orders.created', Buffer.from('2'));
        let seen = 0;
        await new Promise<void>((resolve) => {
          channel.consume(queue, (message: any) => {
            if (++seen === 1) channel.nack(message, false, false);
            else {
              channel.reject(message, false);
              resolve();
            }
          });
        });
        await waitForSpans((all) => all.length >= 6, 'two publishes, two deliveries, nack and reject');
        assert.equal(named(`publish ${exchange}:orders.created`).length, 2);
        const consumes = named(`consume ${exchange}:orders.created:${queue}`);
        assert.equal(consumes.length, 2);
        const [nack] = named(`nack ${exchange}:orders.created:${queue}`);
        const [reject] = named(`reject ${exchange}:orders.created:${queue}`);
        assert.equal(nack!.parentSpanId, consumes[0]!.spanId);
        assert.equal(reject!.parentSpanId, consumes[1]!.spanId);
        assert.equal(reject!.attributes['messaging.operation.type'], 'settle');
        await channel.close();
      } finally {
        await connection.close();
      }
    });

    test(`${label}: get is a CLIENT receive span linked to the message's creation context; an empty get counts no message`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      try {
        const channel = await connection.createChannel();
        const queue = freshQueue();
        await channel.assertQueue(queue, { exclusive: true });
        channel.sendToQueue(queue, Buffer.from('x'));
        let message: any = false;
        while (message === false) message = await channel.get(queue, { noAck: true });
        const empty = await channel.get(queue, { noAck: true });
        assert.equal(empty, false);
        const [publish] = named(`publish ${queue}`);
        const gets = named(`get ${queue}`);
        const got = gets.find((s) => s.links.length === 1)!;
        assert.equal(got.kind, SpanKind.CLIENT);
        assert.equal(got.links[0]!.spanId, publish!.spanId);
        assert.notEqual(got.traceId, publish!.traceId, 'a receive is no child of the producer');
        assert.equal(got.attributes['messaging.operation.type'], 'receive');
        assert.equal(got.attributes['messaging.rabbitmq.message.delivery_tag'], message.fields.deliveryTag);
        const consumed = inProcess.measurements.filter((m) => m.instrument === 'messaging.client.consumed.messages');
        assert.equal(consumed.reduce((sum, m) => sum + m.value, 0), 1);
        await channel.close();
      } finally {
        await connection.close();
      }
    });

    test(`${label}: a get from a missing queue fails with not-found, the same error reaching the app`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      try {
        const channel = await connection.createChannel();
        channel.on('error', () => {});
        const missing = `otel-missing-${process.pid}-${index}`;
        const error = await channel.get(missing).then(
          () => undefined,
          (e: unknown) => e,
        );
        // 2.x rejects with an Error; 0.10 with the broker's channel.close frame itself.
        const message = error instanceof Error ? error.message : (error as { fields: { replyText: string } }).fields.replyText;
        assert.match(message, /NOT_FOUND/);
        await waitForSpans((all) => all.some((s) => s.name === `get ${missing}`), 'the failed get');
        const failed = named(`get ${missing}`)[0]!;
        assert.equal(failed.attributes['error.type'], 'not-found');
        assert.equal(failed.status.code, SpanStatusCode.ERROR);
        assert.equal(failed.status.message, message);
        assert.equal(failed.events[0]?.attributes['exception.message'], message);
      } finally {
        await connection.close().catch(() => {});
      }
    });

    test(`${label}: a confirm channel's publish ends at the broker's ack; its callback runs in the publisher's context`, async () => {
      const amqp = versions[index]!.callbackApi;
      inProcess.clear();
      const connection: any = await new Promise((resolve, reject) => amqp.connect(server.url, (e: unknown, c: unknown) => (e ? reject(e) : resolve(c))));
      try {
        const channel: any = await new Promise((resolve, reject) => connection.createConfirmChannel((e: unknown, c: unknown) => (e ? reject(e) : resolve(c))));
        const queue = freshQueue();
        await new Promise((resolve, reject) => channel.assertQueue(queue, { exclusive: true }, (e: unknown, ok: unknown) => (e ? reject(e) : resolve(ok))));
        const req = request();
        let inCallback: string | undefined;
        let confirmError: unknown = 'not called';
        await new Promise<void>((resolve) =>
          req.run(() =>
            channel.sendToQueue(queue, Buffer.from('c'), {}, (error: unknown) => {
              inCallback = trace.getSpan(activeContext())?.spanContext().spanId;
              confirmError = error;
              resolve();
            }),
          ),
        );
        assert.equal(confirmError, null);
        assert.equal(inCallback, spanId(req.span));
        const [publish] = named(`publish ${queue}`);
        assert.equal(publish!.parentSpanId, spanId(req.span));
        assert.equal(publish!.status.code, SpanStatusCode.UNSET);
        // Without a callback: waitForConfirms still resolves, and the span still ends.
        channel.sendToQueue(queue, Buffer.from('d'));
        await new Promise<void>((resolve, reject) => channel.waitForConfirms((e: unknown) => (e ? reject(e) : resolve())));
        await waitForSpans(() => named(`publish ${queue}`).length === 2, 'the second publish');
        // A callback get, in the callback API.
        const message: any = await new Promise((resolve, reject) => channel.get(queue, { noAck: false }, (e: unknown, m: unknown) => (e ? reject(e) : resolve(m))));
        assert.equal(message.content.toString(), 'c');
        const [got] = await waitForSpans(() => named(`get ${queue}`).length === 1, 'the get').then(() => named(`get ${queue}`));
        assert.equal(got!.links[0]!.spanId, publish!.spanId);
        channel.ack(message);
        assert.equal(named(`ack ${queue}`).length, 1);
        // A callback-API consumer gets the second message inside its process span.
        let inConsumer: string | undefined;
        await new Promise<void>((resolve, reject) =>
          channel.consume(
            queue,
            () => {
              inConsumer = trace.getSpan(activeContext())?.spanContext().spanId;
              resolve();
            },
            { noAck: true },
            (e: unknown) => e && reject(e),
          ),
        );
        const [consumed] = named(`consume ${queue}`);
        assert.equal(inConsumer, consumed!.spanId);
        assert.equal(consumed!.parentSpanId, named(`publish ${queue}`)[1]!.spanId);
        await new Promise((resolve) => channel.close(resolve));
      } finally {
        await new Promise((resolve) => connection.close(resolve));
      }
    });

    test(`${label}: an async handler's rejection fails its span and still reaches the process unhandled, as the same error`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      const boom = new TypeError('handler failed');
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      // node:test fails the running test on an unhandled rejection: its listeners step aside meanwhile.
      const testRunners = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      process.on('unhandledRejection', onRejection);
      try {
        const channel = await connection.createChannel();
        const queue = freshQueue();
        await channel.assertQueue(queue, { exclusive: true });
        channel.sendToQueue(queue, Buffer.from('z'));
        await channel.consume(
          queue,
          async () => {
            await new Promise((resolve) => setImmediate(resolve));
            throw boom;
          },
          { noAck: true },
        );
        const [span] = await waitForSpans(() => named(`consume ${queue}`).length === 1, 'the failed delivery').then(() => named(`consume ${queue}`));
        assert.equal(span!.attributes['error.type'], 'TypeError');
        assert.equal(span!.status.code, SpanStatusCode.ERROR);
        const deadline = Date.now() + 2000;
        while (rejections.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        assert.deepEqual(rejections, [boom]);
        await channel.close();
      } finally {
        process.off('unhandledRejection', onRejection);
        for (const listener of testRunners) process.on('unhandledRejection', listener);
        await connection.close();
      }
    });

    test(`${label}: a connection opened inside a request does not make that request the parent of later deliveries`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const opening = request('GET /first');
      const connection = await opening.run(() => amqp.connect(server.url));
      opening.span.end();
      try {
        const channel = await opening.run(() => connection.createChannel());
        const queue = freshQueue();
        await channel.assertQueue(queue, { exclusive: true });
        // Published with no creation context in it (as a non-instrumented producer would).
        channel.sendToQueue(queue, Buffer.from('p'), { headers: { traceparent: 'none' } });
        let inHandler: string | undefined;
        await opening.run(() =>
          channel.consume(
            queue,
            () => {
              inHandler = trace.getSpan(activeContext())?.spanContext().spanId;
            },
            { noAck: true },
          ),
        );
        const [consume] = await waitForSpans(() => named(`consume ${queue}`).length === 1, 'the delivery').then(() => named(`consume ${queue}`));
        assert.equal(consume!.parentSpanId, undefined, 'a root span');
        assert.notEqual(consume!.traceId, opening.span.spanContext().traceId);
        assert.deepEqual(consume!.links, []);
        assert.equal(inHandler, consume!.spanId);
        await channel.close();
      } finally {
        await connection.close();
      }
    });

    test(`${label}: a creation context the app put in the headers is kept; the publish links to it as a CLIENT span`, async () => {
      const amqp = versions[index]!.promiseApi;
      inProcess.clear();
      const connection = await amqp.connect(server.url);
      try {
        const channel = await connection.createChannel();
        const queue = freshQueue();
        await channel.assertQueue(queue, { exclusive: true });
        const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
        channel.sendToQueue(queue, Buffer.from('o'), { headers: { traceparent: own } });
        let message: any = false;
        while (message === false) message = await channel.get(queue, { noAck: true });
        assert.equal(message.properties.headers.traceparent, own);
        const [publish] = named(`publish ${queue}`);
        assert.equal(publish!.kind, SpanKind.CLIENT);
        assert.equal(publish!.links[0]!.spanId, 'b7ad6b7169203331');
        await channel.close();
      } finally {
        await connection.close();
      }
    });
  }
});
