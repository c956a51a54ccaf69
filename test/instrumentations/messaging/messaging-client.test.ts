// The one messaging helper every messaging instrumentation uses: span names and kinds, the
// parent-or-link rule for process spans, headers in and out through the propagator, the error rule,
// and the duration and message-count metrics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from '@opentelemetry/api';
import { loadConfig } from '../../../src/config/load-config.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { traceContextPropagator } from '../../../src/context/propagation/tracecontext.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { Telemetry } from '../../../src/hook/instrumentation.js';
import type { SdkSpan } from '../../../src/trace/span.js';
import { MessagingClient, type MessagingOperationInfo } from '../../../instrumentations/messaging/messaging-client.js';
import { messageHeaderGetter } from '../../../instrumentations/messaging/header-carrier.js';
import { exemplarSpanIdOf, recordingMeter, recordingTracerProvider, type RecordedMeasurement } from '../../support/in-process-instrumentation.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';

function setup() {
  const spans: SdkSpan[] = [];
  const measurements: RecordedMeasurement[] = [];
  const tracer = recordingTracerProvider((span) => spans.push(span)).getTracer('test');
  const telemetry = {
    tracer,
    meter: recordingMeter('test', measurements),
    logger: undefined,
    propagator: traceContextPropagator,
    config: loadConfig({}),
  } as unknown as Telemetry;
  const client = new MessagingClient(telemetry, { instrumentation: 'testmq', system: 'rabbitmq' });
  const request = tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
  const inRequest: Context = trace.setSpan(ROOT_CONTEXT, request);
  return { spans, measurements, client, request, inRequest };
}

test('a send is a PRODUCER child of the caller named `{operation} {destination}`, its context injected into the headers', () => {
  const { spans, measurements, client, request, inRequest } = setup();
  const send = client.start({ type: 'send', name: 'publish', destination: 'orders', serverAddress: 'localhost', serverPort: 5672, attributes: { 'messaging.message.id': 'm1' } }, inRequest)!;
  const headers: Record<string, unknown> = {};
  client.inject(send.context, headers);
  send.end();
  const span = spans[0]!;
  assert.equal(span.name, 'publish orders');
  assert.equal(span.kind, SpanKind.PRODUCER);
  assert.equal(span.parentSpanId, request.spanContext().spanId);
  assert.deepEqual(span.attributes, {
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': 'publish',
    'messaging.operation.type': 'send',
    'messaging.destination.name': 'orders',
    'server.address': 'localhost',
    'server.port': 5672,
    'messaging.message.id': 'm1',
  });
  assert.equal(headers.traceparent, `00-${span.traceId}-${span.spanId}-01`);
  assert.deepEqual(
    measurements.map((m) => [m.instrument, m.attributes['messaging.message.id'], m.attributes['messaging.destination.name']]),
    [
      ['messaging.client.operation.duration', undefined, 'orders'],
      ['messaging.client.sent.messages', undefined, 'orders'],
    ],
  );
  assert.equal(measurements[1]!.value, 1);
});

test('a creation context the app put into the headers is kept; the send links to it and is CLIENT', () => {
  const { spans, client, inRequest } = setup();
  const headers: Record<string, unknown> = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  const send = client.start({ type: 'send', name: 'publish', destination: 'orders', creationContext: client.creationContextIn(headers) }, inRequest)!;
  client.inject(send.context, headers);
  send.end();
  assert.equal(headers.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  assert.equal(spans[0]!.kind, SpanKind.CLIENT);
  assert.equal(spans[0]!.links[0]!.spanId, 'b7ad6b7169203331');
});

test('a process span outside any span is the child of the message\'s creation context, and links to it', () => {
  const { spans, client } = setup();
  const headers = { traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') };
  const process = client.startProcess({ type: 'process', name: 'consume', destination: 'orders' }, client.extract(headers), ROOT_CONTEXT)!;
  process.end();
  const span = spans[0]!;
  assert.equal(span.kind, SpanKind.CONSUMER);
  assert.equal(span.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(span.parentSpanId, 'b7ad6b7169203331');
  assert.equal(span.links[0]!.spanId, 'b7ad6b7169203331');
});

test('a process span inside an ambient span is its child, linked to the creation context', () => {
  const { spans, client, request, inRequest } = setup();
  const creation = client.extract({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
  client.startProcess({ type: 'process', name: 'consume', destination: 'orders' }, creation, inRequest)!.end();
  assert.equal(spans[0]!.parentSpanId, request.spanContext().spanId);
  assert.equal(spans[0]!.links[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
});

test('a failure sets error.type by the one rule (or the system\'s own), records the exception, and keeps temporary names off metrics', () => {
  const { spans, measurements, client, inRequest } = setup();
  const error = Object.assign(new Error('NOT_FOUND - no queue'), { code: 404 });
  client.start({ type: 'receive', name: 'get', destination: 'amq.gen-x', temporary: true }, inRequest)!.end(error, true, 'not-found');
  const span = spans[0]!;
  assert.equal(span.name, 'get');
  assert.equal(span.attributes['error.type'], 'not-found');
  assert.equal(span.attributes['messaging.destination.name'], 'amq.gen-x');
  assert.equal(span.attributes['messaging.destination.temporary'], true);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.status.message, 'NOT_FOUND - no queue');
  assert.equal(span.events[0]!.name, 'exception');
  for (const m of measurements) {
    assert.equal(m.attributes['messaging.destination.name'], undefined);
    assert.equal(m.attributes['error.type'], 'not-found');
  }
  client.start({ type: 'settle', name: 'ack', destination: 'orders' }, inRequest)!.end(new TypeError('x'));
  assert.equal(spans[1]!.attributes['error.type'], 'TypeError');
  assert.equal(spans[1]!.kind, SpanKind.CLIENT);
});

test('a process records messaging.process.duration and counts consumed messages; an empty receive counts none', () => {
  const { measurements, client, inRequest } = setup();
  client.startProcess({ type: 'process', name: 'consume', destination: 'orders' }, undefined, inRequest)!.end();
  const empty = client.start({ type: 'receive', name: 'get', destination: 'orders' }, inRequest)!;
  empty.setMessages(0);
  empty.end();
  assert.deepEqual(
    measurements.map((m) => [m.instrument, m.attributes['messaging.operation.type']]),
    [
      ['messaging.process.duration', 'process'],
      ['messaging.client.consumed.messages', 'process'],
      ['messaging.client.operation.duration', 'receive'],
    ],
  );
});

test('repeated operations share their name and metric attributes; one that differs in any field gets its own', () => {
  const { spans, measurements, client, inRequest } = setup();
  const base: MessagingOperationInfo = { type: 'settle', name: 'ack', destination: 'orders', serverAddress: 'mq.local', serverPort: 5672 };
  const variants: MessagingOperationInfo[] = [
    base,
    { ...base, name: 'nack' },
    { ...base, type: 'create' },
    { ...base, destination: 'invoices' },
    { ...base, serverAddress: 'mq2.local' },
    { ...base, serverPort: 5673 },
    { ...base, destinationTemplate: '/orders/{id}' },
    { ...base, consumerGroup: 'billing' },
    { ...base, subscription: 'sub' },
    { ...base, partitionId: '3' },
    { ...base, anonymous: true },
  ];
  for (const info of [...variants, ...variants]) client.start(info, inRequest)!.end();
  assert.equal(measurements.length, variants.length * 2);
  for (let i = 0; i < variants.length; i++) {
    assert.equal(measurements[variants.length + i]!.attributes, measurements[i]!.attributes, 'the same set, found again');
    assert.equal(spans[variants.length + i]!.name, spans[i]!.name);
  }
  assert.equal(new Set(measurements.slice(0, variants.length).map((m) => JSON.stringify(m.attributes))).size, variants.length);
  assert.deepEqual(spans.slice(0, variants.length).map((span) => span.name), ['ack orders', 'nack orders', 'ack orders', 'ack invoices', 'ack orders', 'ack orders', 'ack /orders/{id}', 'ack orders', 'ack orders', 'ack orders', 'ack']);
  assert.equal(measurements[10]!.attributes['messaging.destination.name'], undefined);
});

test('headers are read as strings, Buffers or the first of an array', () => {
  assert.equal(messageHeaderGetter.get({ a: 'x' }, 'a'), 'x');
  assert.equal(messageHeaderGetter.get({ a: Buffer.from('y') }, 'a'), 'y');
  assert.equal(messageHeaderGetter.get({ a: [Buffer.from('z'), 'w'] }, 'a'), 'z');
  assert.equal(messageHeaderGetter.get({ a: 3 }, 'a'), undefined);
});

test("a send's metrics take their exemplar from the send span, whatever context the library ends it in", () => {
  const { spans, measurements, client, inRequest } = setup();
  const send = client.start({ type: 'send', name: 'publish', destination: 'orders', serverAddress: 'localhost', serverPort: 5672 }, inRequest)!;
  const other = trace.setSpan(ROOT_CONTEXT, recordingTracerProvider(() => undefined).getTracer('other').startSpan('GET /other'));
  runWithContext(other, () => send.end());
  assert.ok(measurements.length >= 2);
  for (const measurement of measurements) assert.equal(exemplarSpanIdOf(measurement), spans[0]!.spanContext().spanId, measurement.instrument);
});
