// The one database client-span helper every database instrumentation uses: attributes, span name,
// the error rule, the duration metric, root spans, and the app's callbacks and promises untouched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from '@opentelemetry/api';
import { loadConfig } from '../../../src/config/load-config.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { suppressed } from '../../../src/context/suppress.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { Telemetry } from '../../../src/hook/instrumentation.js';
import type { SdkSpan } from '../../../src/trace/span.js';
import { DbClient } from '../../../instrumentations/db/db-call.js';
import { dbSpanName } from '../../../instrumentations/db/semconv.js';
import { DB_SETTINGS } from '../../../instrumentations/db/settings.js';
import { exemplarSpanIdOf, recordingMeter, recordingTracerProvider, type RecordedMeasurement } from '../../support/in-process-instrumentation.js';

function setup(env: NodeJS.ProcessEnv = {}) {
  const spans: SdkSpan[] = [];
  const measurements: RecordedMeasurement[] = [];
  const tracer = recordingTracerProvider((span) => spans.push(span)).getTracer('test');
  const telemetry = {
    tracer,
    meter: recordingMeter('test', measurements),
    logger: undefined,
    config: loadConfig(env, { extra: DB_SETTINGS }),
  } as unknown as Telemetry;
  const client = new DbClient(telemetry, {
    instrumentation: 'testdb',
    system: 'postgresql',
    defaultPort: 5432,
    statusCodeOf: (error) => (error as { code?: string }).code,
  });
  const request = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER });
  const inRequest: Context = trace.setSpan(ROOT_CONTEXT, request);
  return { spans, measurements, client, request, inRequest };
}

const SELECT = {
  operationName: 'SELECT',
  collectionName: 'orders',
  queryText: 'SELECT * FROM orders WHERE id = $1',
  querySummary: 'SELECT orders',
  namespace: 'shop',
  serverAddress: 'db.local',
  serverPort: 5432,
  parameters: [42],
};

test('a call inside a request is a CLIENT child of it, named by the summary, with the conventions\' attributes', () => {
  const { spans, measurements, client, request, inRequest } = setup();
  client.start(SELECT, inRequest)!.end();
  assert.equal(spans.length, 1);
  const span = spans[0]!;
  assert.equal(span.name, 'SELECT orders');
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.equal(span.parentSpanId, request.spanContext().spanId);
  assert.deepEqual(span.attributes, {
    'db.system.name': 'postgresql',
    'db.namespace': 'shop',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'orders',
    'db.query.summary': 'SELECT orders',
    'db.query.text': 'SELECT * FROM orders WHERE id = $1',
    'server.address': 'db.local',
  });
  // The metric takes the low-cardinality attributes only: no query text.
  assert.equal(measurements.length, 1);
  assert.equal(measurements[0]!.instrument, 'db.client.operation.duration');
  assert.equal(measurements[0]!.attributes['db.query.text'], undefined);
  assert.equal(measurements[0]!.attributes['db.query.summary'], 'SELECT orders');
  assert.ok(measurements[0]!.value >= 0 && measurements[0]!.value < 5);
});

test('server.port is recorded only when it is not the system\'s default', () => {
  const { spans, client, inRequest } = setup();
  client.start({ ...SELECT, serverPort: 6543 }, inRequest)!.end();
  assert.equal(spans[0]!.attributes['server.port'], 6543);
});

test('parameter values are recorded only when OTEL_NODE_DB_CAPTURE_PARAMETERS is on', () => {
  const off = setup();
  off.client.start(SELECT, off.inRequest)!.end();
  assert.equal(off.spans[0]!.attributes['db.query.parameter.0'], undefined);
  const on = setup({ OTEL_NODE_DB_CAPTURE_PARAMETERS: 'true' });
  on.client.start(SELECT, on.inRequest)!.end();
  assert.equal(on.spans[0]!.attributes['db.query.parameter.0'], '42');
});

test('outside any trace a call starts no trace but is measured; OTEL_NODE_DB_ROOT_SPANS=true makes it a root span', () => {
  const off = setup();
  const call = off.client.start(SELECT, ROOT_CONTEXT)!;
  assert.equal(call.span, undefined);
  call.end();
  assert.equal(off.spans.length, 0);
  assert.equal(off.measurements.length, 1);
  const on = setup({ OTEL_NODE_DB_ROOT_SPANS: 'true' });
  on.client.start(SELECT, ROOT_CONTEXT)!.end();
  assert.equal(on.spans.length, 1);
  assert.equal(on.spans[0]!.parentSpanId, undefined);
});

test('our own I/O (a suppressed context) is not recorded at all', () => {
  const { spans, measurements, client, inRequest } = setup();
  assert.equal(client.start(SELECT, suppressed(inRequest)), undefined);
  assert.equal(spans.length + measurements.length, 0);
});

test('a failure with a database status code: error.type and db.response.status_code are that code, the exception is recorded', () => {
  const { spans, measurements, client, inRequest } = setup();
  const error = Object.assign(new Error('relation "ordrs" does not exist'), { code: '42P01' });
  client.start(SELECT, inRequest)!.end(error);
  const span = spans[0]!;
  assert.equal(span.attributes['error.type'], '42P01');
  assert.equal(span.attributes['db.response.status_code'], '42P01');
  assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'relation "ordrs" does not exist' });
  assert.equal(span.events[0]!.name, 'exception');
  assert.equal(measurements[0]!.attributes['error.type'], '42P01');
  assert.equal(measurements[0]!.attributes['db.response.status_code'], '42P01');
});

test('a failure without a status code: error.type is the error\'s type', () => {
  const { spans, client, inRequest } = setup();
  client.start(SELECT, inRequest)!.end(new TypeError('bad'));
  assert.equal(spans[0]!.attributes['error.type'], 'TypeError');
  assert.equal(spans[0]!.attributes['db.response.status_code'], undefined);
});

test('end() counts once: one span and one measurement', () => {
  const { spans, measurements, client, inRequest } = setup();
  const call = client.start(SELECT, inRequest)!;
  call.end();
  call.end(new Error('late'));
  assert.equal(spans.length, 1);
  assert.equal(measurements.length, 1);
  assert.equal(spans[0]!.status.code, SpanStatusCode.UNSET);
});

test('repeated operations share their attribute sets; one that differs in any field gets its own, and a failure never changes the shared set', () => {
  const { spans, measurements, client, inRequest } = setup();
  const variants = [
    SELECT,
    { ...SELECT, namespace: 'other' },
    { ...SELECT, serverAddress: 'replica.local' },
    { ...SELECT, serverPort: 6543 },
    { ...SELECT, querySummary: 'SELECT orders_archive', queryText: 'SELECT * FROM orders_archive WHERE id = $1' },
    { ...SELECT, queryText: 'SELECT id FROM orders WHERE id = $1' },
    { ...SELECT, batchSize: 3 },
  ];
  for (const operation of [...variants, ...variants]) client.start(operation, inRequest)!.end();
  client.start(SELECT, inRequest)!.end(Object.assign(new Error('boom'), { code: '57014' }));
  client.start(SELECT, inRequest)!.end();
  assert.equal(spans.length, variants.length * 2 + 2);
  for (let i = 0; i < variants.length; i++) {
    // The second round's span and measurement are the first round's, for every variant.
    assert.deepEqual(spans[variants.length + i]!.attributes, spans[i]!.attributes);
    assert.equal(spans[variants.length + i]!.name, spans[i]!.name);
    assert.equal(measurements[variants.length + i]!.attributes, measurements[i]!.attributes, 'the same set, found again');
  }
  assert.equal(new Set(spans.slice(0, variants.length).map((span) => JSON.stringify(span.attributes))).size, variants.length);
  assert.equal(spans[1]!.attributes['db.namespace'], 'other');
  assert.equal(spans[3]!.attributes['server.port'], 6543);
  assert.equal(spans[4]!.name, 'SELECT orders_archive');
  assert.equal(spans[6]!.attributes['db.operation.batch.size'], 3);
  assert.equal(measurements[2]!.attributes['server.address'], 'replica.local');
  const failed = measurements[variants.length * 2]!.attributes;
  assert.equal(failed['error.type'], '57014');
  const after = measurements[variants.length * 2 + 1]!.attributes;
  assert.equal(after['error.type'], undefined);
  assert.equal(after, measurements[0]!.attributes);
  assert.equal(spans[variants.length * 2 + 1]!.attributes['error.type'], undefined);
});

test('a wrapped callback ends the call, then runs in the caller\'s context with the same this, arguments and return value', () => {
  const { spans, client, inRequest } = setup();
  const call = client.start(SELECT, inRequest)!;
  let seen: { self: unknown; args: unknown[]; ctx: Context } | undefined;
  const wrapped = call.wrapCallback(function (this: unknown, ...args: unknown[]) {
    seen = { self: this, args, ctx: activeContext() };
    return 'returned';
  });
  const self = { driver: true };
  const result = runWithContext(ROOT_CONTEXT, () => wrapped.call(self, null, { rows: [] }));
  assert.equal(result, 'returned');
  assert.equal(seen!.self, self);
  assert.deepEqual(seen!.args, [null, { rows: [] }]);
  assert.equal(seen!.ctx, inRequest);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.status.code, SpanStatusCode.UNSET);
});

test('settle() resolves with the same value and rejects with the very same error object', async () => {
  const { spans, client, inRequest } = setup();
  const value = { rows: [1] };
  assert.equal(await client.start(SELECT, inRequest)!.settle(Promise.resolve(value)), value);
  const error = new Error('boom');
  await assert.rejects(client.start(SELECT, inRequest)!.settle(Promise.reject(error)), (thrown) => thrown === error);
  assert.equal(spans.length, 2);
  assert.equal(spans[1]!.status.code, SpanStatusCode.ERROR);
});

test('span names fall back as the conventions say: operation and target, target, then the system', () => {
  assert.equal(dbSpanName({ system: 'redis', operationName: 'GET' }), 'GET');
  assert.equal(dbSpanName({ system: 'mongodb', operationName: 'find', collectionName: 'users', namespace: 'app' }), 'find users');
  assert.equal(dbSpanName({ system: 'postgresql', operationName: 'SELECT', namespace: 'shop' }), 'SELECT shop');
  assert.equal(dbSpanName({ system: 'postgresql', serverAddress: 'db', serverPort: 5433 }), 'db:5433');
  assert.equal(dbSpanName({ system: 'sqlite' }), 'sqlite');
});

test("the duration's exemplar is the operation's own span, though another request's context is active when it ends", () => {
  const { spans, measurements, client, inRequest } = setup();
  const call = client.start(SELECT, inRequest)!;
  const other = trace.setSpan(ROOT_CONTEXT, recordingTracerProvider(() => undefined).getTracer('other').startSpan('GET /other'));
  // A pooled connection's reply runs in the context its socket was made in: another request's.
  runWithContext(other, () => call.end());
  assert.equal(measurements.length, 1);
  assert.equal(exemplarSpanIdOf(measurements[0]!), spans[0]!.spanContext().spanId);
});
