// @grpc/grpc-js in this process, patched through the real module hooks: a real server and client over
// loopback, the Echo service of test/fixtures/grpc/echo.proto loaded by @grpc/proto-loader. Every kind
// of call, answered, failed on either side, past its deadline and cancelled: the spans each side
// records, their parent links through the metadata, the duration histograms, and what the app sees.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as GrpcJs from '@grpc/grpc-js';
import type { Context, Span } from '@opentelemetry/api';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { suppressed } from '../../../src/context/suppress.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, type RecordedMeasurement } from '../../support/in-process-instrumentation.js';
import { FIXTURES } from '../../support/run-cli.js';

const inProcess = instrumentInProcess(['grpc']);
const requestTracer = inProcess.hooks.telemetryFor('test-requests').tracer;

interface EchoReply {
  message: string;
}
interface EchoRequest {
  message?: string;
  failCode?: number;
  delayMs?: number;
  count?: number;
}
type EchoClient = GrpcJs.Client & {
  Unary(request: EchoRequest, ...rest: unknown[]): GrpcJs.ClientUnaryCall;
  ClientStream(...rest: unknown[]): GrpcJs.ClientWritableStream<EchoRequest>;
  ServerStream(request: EchoRequest, ...rest: unknown[]): GrpcJs.ClientReadableStream<EchoReply>;
  Bidi(...rest: unknown[]): GrpcJs.ClientDuplexStream<EchoRequest, EchoReply>;
};
interface SeenCall {
  readonly method: string;
  readonly metadata: GrpcJs.Metadata;
  readonly active: Span | undefined;
  readonly call: NodeJS.EventEmitter;
}
interface EchoService {
  grpc: typeof GrpcJs;
  loadEcho(): new (address: string, credentials: GrpcJs.ChannelCredentials) => EchoClient;
  startEchoServer(options: { seen?: (method: string, call: { metadata: GrpcJs.Metadata }) => void; onward?: (done: (error?: Error | null) => void) => void }): Promise<{ server: GrpcJs.Server; port: number }>;
}

// Required after the hooks are installed, as the bootstrap does.
const service = require(join(FIXTURES, 'grpc', 'echo-service.js')) as EchoService;
const grpc = service.grpc;
const Echo = service.loadEcho();

const UNARY = 'otel.test.Echo/Unary';
let server: GrpcJs.Server;
let port: number;
let client: EchoClient;
const seen: SeenCall[] = [];

before(async () => {
  ({ server, port } = await service.startEchoServer({
    seen: (method, call) => seen.push({ method, metadata: call.metadata, active: trace.getSpan(activeContext()), call: call as unknown as NodeJS.EventEmitter }),
    onward: (done) => client.Unary({ message: 'inner' }, (error: Error | null) => done(error)),
  }));
  client = new Echo(`localhost:${port}`, grpc.credentials.createInsecure());
});

after(() => {
  client.close();
  server.forceShutdown();
});

function reset(): void {
  inProcess.clear();
  seen.length = 0;
}

/** A request span, ended by the caller; `run` makes it active. */
function request(): { span: Span; context: Context; run<T>(fn: () => T): T } {
  const span = requestTracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
  const context = trace.setSpan(ROOT_CONTEXT, span);
  return { span, context, run: (fn) => runWithContext(context, fn) };
}

function grpcSpans(kind: number): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.scope.name === 'otel-instrument/grpc' && span.kind === kind);
}

async function waitForGrpcSpans(clients: number, servers: number): Promise<{ clients: ReadableSpan[]; servers: ReadableSpan[] }> {
  const deadline = Date.now() + 5000;
  while (grpcSpans(SpanKind.CLIENT).length < clients || grpcSpans(SpanKind.SERVER).length < servers) {
    if (Date.now() > deadline) throw new Error(`spans: ${inProcess.spans.map((s) => `${s.kind} ${s.name}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { clients: grpcSpans(SpanKind.CLIENT), servers: grpcSpans(SpanKind.SERVER) };
}

function durations(instrument: string): RecordedMeasurement[] {
  return inProcess.measurements.filter((m) => m.instrument === instrument);
}

function unary(req: EchoRequest, ...rest: unknown[]): Promise<{ error: GrpcJs.ServiceError | null; reply: EchoReply | undefined; active: Span | undefined; clientSpanEnded: boolean }> {
  return new Promise((resolve) => {
    client.Unary(req, ...rest, (error: GrpcJs.ServiceError | null, reply?: EchoReply) => {
      resolve({ error, reply, active: trace.getSpan(activeContext()), clientSpanEnded: grpcSpans(SpanKind.CLIENT).length > 0 });
    });
  });
}

function childOf(span: ReadableSpan, parent: { spanContext(): { traceId: string; spanId: string } } | ReadableSpan): void {
  const ids = 'spanContext' in parent ? parent.spanContext() : parent;
  assert.equal(span.traceId, ids.traceId);
  assert.equal(span.parentSpanId, ids.spanId);
}

/**
 * The client's deadline and the server's (the same deadline, sent as grpc-timeout) expire together:
 * the server sends DEADLINE_EXCEEDED if its timer fires first, else sees the client reset the call.
 */
function assertServerDeadline(span: ReadableSpan): void {
  if (span.attributes['rpc.status_code'] === 'DEADLINE_EXCEEDED') {
    assert.equal(span.attributes['error.type'], 'DEADLINE_EXCEEDED');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  } else {
    assert.equal(span.attributes['rpc.status_code'], 'CANCELLED');
    assert.equal(span.attributes['error.type'], undefined);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  }
}

describe('unary calls', () => {
  test('a call in a request: CLIENT child of the request, SERVER child of the client through the metadata, the conventions\' attributes and durations', async () => {
    reset();
    const req = request();
    const answer = await req.run(() => unary({ message: 'hello' }));
    req.span.end();
    assert.equal(answer.error, null);
    assert.deepEqual(answer.reply, { message: 'hello' });
    // The callback runs in the caller's context, after the client span ended.
    assert.equal(answer.active, req.span);
    assert.equal(answer.clientSpanEnded, true);

    const { clients, servers } = await waitForGrpcSpans(1, 1);
    const [clientSpan] = clients;
    const [serverSpan] = servers;
    assert.equal(clientSpan!.name, UNARY);
    assert.deepEqual(clientSpan!.scope, { name: 'otel-instrument/grpc', version: PACKAGE_VERSION, schemaUrl: undefined });
    childOf(clientSpan!, req.span);
    assert.deepEqual(clientSpan!.attributes, {
      'rpc.system.name': 'grpc',
      'rpc.method': UNARY,
      'server.address': 'localhost',
      'server.port': port,
      'rpc.status_code': 'OK',
      'network.peer.address': '127.0.0.1',
      'network.peer.port': port,
    });
    assert.equal(clientSpan!.status.code, SpanStatusCode.UNSET);

    assert.equal(serverSpan!.name, UNARY);
    childOf(serverSpan!, clientSpan!);
    assert.equal(serverSpan!.parentIsRemote, true);
    const { 'network.peer.port': peerPort, ...serverAttributes } = serverSpan!.attributes;
    assert.deepEqual(serverAttributes, {
      'rpc.system.name': 'grpc',
      'rpc.method': UNARY,
      'server.address': 'localhost',
      'server.port': port,
      'network.peer.address': '127.0.0.1',
      'rpc.status_code': 'OK',
    });
    assert.equal(typeof peerPort, 'number');
    assert.equal(serverSpan!.status.code, SpanStatusCode.UNSET);
    // The handler ran with the server span active.
    assert.equal(seen[0]!.active?.spanContext().spanId, serverSpan!.spanId);
    // What the server received: the client span's context, in the standard header.
    assert.deepEqual(seen[0]!.metadata.get('traceparent'), [`00-${clientSpan!.traceId}-${clientSpan!.spanId}-01`]);

    const [clientDuration] = durations('rpc.client.call.duration');
    assert.equal(clientDuration!.scope, 'otel-instrument/grpc');
    assert.deepEqual(clientDuration!.attributes, {
      'rpc.system.name': 'grpc',
      'rpc.method': UNARY,
      'server.address': 'localhost',
      'server.port': port,
      'rpc.status_code': 'OK',
    });
    const [serverDuration] = durations('rpc.server.call.duration');
    assert.deepEqual(serverDuration!.attributes, { 'rpc.system.name': 'grpc', 'rpc.method': UNARY, 'rpc.status_code': 'OK' });
    assert.ok(clientDuration!.value > 0 && clientDuration!.value < 5, String(clientDuration!.value));
    assert.ok(serverDuration!.value > 0 && serverDuration!.value <= clientDuration!.value, `${serverDuration!.value} vs ${clientDuration!.value}`);
  });

  test('a promisified call resolves as before, after its span ended, in the caller\'s context', async () => {
    reset();
    const call = promisify(client.Unary.bind(client)) as (request: EchoRequest) => Promise<EchoReply>;
    const req = request();
    const reply = await req.run(async () => {
      const value = await call({ message: 'promised' });
      assert.equal(trace.getSpan(activeContext()), req.span);
      assert.equal(grpcSpans(SpanKind.CLIENT).length, 1);
      return value;
    });
    req.span.end();
    assert.deepEqual(reply, { message: 'promised' });
    const { clients } = await waitForGrpcSpans(1, 1);
    childOf(clients[0]!, req.span);
  });

  test('the handler\'s own outgoing calls are children of its server span', async () => {
    reset();
    const req = request();
    const answer = await req.run(() => unary({ message: 'onward' }));
    req.span.end();
    assert.equal(answer.error, null);
    const { clients, servers } = await waitForGrpcSpans(2, 2);
    const outer = clients.find((s) => s.parentSpanId === req.span.spanContext().spanId)!;
    const outerServer = servers.find((s) => s.parentSpanId === outer.spanId)!;
    const inner = clients.find((s) => s !== outer)!;
    const innerServer = servers.find((s) => s !== outerServer)!;
    childOf(inner, outerServer);
    childOf(innerServer, inner);
    for (const span of [outer, outerServer, inner, innerServer]) assert.equal(span.traceId, req.span.spanContext().traceId);
  });

  test('the app\'s Metadata object is sent with its keys and left without ours, and a traceparent it set itself wins', async () => {
    reset();
    const metadata = new grpc.Metadata();
    metadata.set('x-tenant', 'acme');
    const req = request();
    await req.run(() => unary({ message: 'one' }, metadata));
    await req.run(() => unary({ message: 'two' }, metadata, { deadline: Date.now() + 5000 }));
    assert.deepEqual(metadata.getMap(), { 'x-tenant': 'acme' });
    const { clients } = await waitForGrpcSpans(2, 2);
    assert.deepEqual(seen.map((s) => s.metadata.get('x-tenant')), [['acme'], ['acme']]);
    // Each call sent its own span's context, though the app reused one Metadata object.
    assert.deepEqual(
      seen.map((s) => s.metadata.get('traceparent')[0]),
      clients.map((c) => `00-${c.traceId}-${c.spanId}-01`),
    );

    reset();
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const withOwn = new grpc.Metadata();
    withOwn.set('traceparent', own);
    await req.run(() => unary({ message: 'own' }, withOwn));
    req.span.end();
    assert.deepEqual(seen[0]!.metadata.get('traceparent'), [own]);
    const { servers } = await waitForGrpcSpans(1, 1);
    assert.equal(servers[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(servers[0]!.parentSpanId, 'b7ad6b7169203331');
  });

  test('a call outside any trace starts one; with tracing suppressed there is no span and no trace context', async () => {
    reset();
    await unary({ message: 'root' });
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.parentSpanId, undefined);
    childOf(servers[0]!, clients[0]!);

    reset();
    const answer = await runWithContext(suppressed(ROOT_CONTEXT), () => unary({ message: 'quiet' }));
    assert.equal(answer.error, null);
    assert.deepEqual(seen[0]!.metadata.get('traceparent'), []);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server still traces the call it receives (nothing told it not to); the client made none.
    assert.equal(grpcSpans(SpanKind.CLIENT).length, 0);
    assert.equal(durations('rpc.client.call.duration').length, 0);
  });

  test('a status the handler answers with: an error for the client; for the server only when the conventions say so', async () => {
    reset();
    const notFound = await unary({ message: 'x', failCode: grpc.status.NOT_FOUND });
    assert.equal(notFound.error?.code, grpc.status.NOT_FOUND);
    let { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['rpc.status_code'], 'NOT_FOUND');
    assert.equal(clients[0]!.attributes['error.type'], 'NOT_FOUND');
    assert.deepEqual(clients[0]!.status, { code: SpanStatusCode.ERROR, message: 'failed on purpose with 5' });
    // The error the app's callback got is the exception recorded.
    assert.equal(clients[0]!.events.length, 1);
    assert.equal(clients[0]!.events[0]!.name, 'exception');
    assert.equal(clients[0]!.events[0]!.attributes['exception.message'], notFound.error!.message);
    // NOT_FOUND is the caller's problem, not the server's.
    assert.equal(servers[0]!.attributes['rpc.status_code'], 'NOT_FOUND');
    assert.equal(servers[0]!.attributes['error.type'], undefined);
    assert.equal(servers[0]!.status.code, SpanStatusCode.UNSET);
    assert.equal(servers[0]!.events.length, 0);
    assert.equal(durations('rpc.client.call.duration')[0]!.attributes['error.type'], 'NOT_FOUND');
    assert.equal(durations('rpc.server.call.duration')[0]!.attributes['error.type'], undefined);
    assert.equal(durations('rpc.server.call.duration')[0]!.attributes['rpc.status_code'], 'NOT_FOUND');

    reset();
    await unary({ message: 'x', failCode: grpc.status.INTERNAL });
    ({ clients, servers } = await waitForGrpcSpans(1, 1));
    assert.equal(servers[0]!.attributes['error.type'], 'INTERNAL');
    assert.deepEqual(servers[0]!.status, { code: SpanStatusCode.ERROR, message: 'failed on purpose with 13' });
    // The error object the handler answered with.
    assert.equal(servers[0]!.events[0]!.attributes['exception.message'], 'failed on purpose with 13');
    assert.equal(durations('rpc.server.call.duration')[0]!.attributes['error.type'], 'INTERNAL');
  });

  test('a handler that throws: UNKNOWN on both sides, the thrown error recorded on the server span', async () => {
    reset();
    const answer = await unary({ message: 'throw' });
    assert.equal(answer.error?.code, grpc.status.UNKNOWN);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['error.type'], 'UNKNOWN');
    assert.equal(servers[0]!.attributes['rpc.status_code'], 'UNKNOWN');
    assert.equal(servers[0]!.attributes['error.type'], 'UNKNOWN');
    assert.equal(servers[0]!.status.code, SpanStatusCode.ERROR);
    assert.equal(servers[0]!.events[0]!.attributes['exception.message'], 'handler threw');
    assert.equal(servers[0]!.events[0]!.attributes['exception.type'], 'Error');
  });

  test('a deadline that passes: DEADLINE_EXCEEDED for the client; the server sees its own deadline pass or the client give up', async () => {
    reset();
    const answer = await unary({ message: 'slow', delayMs: 300 }, { deadline: Date.now() + 50 });
    assert.equal(answer.error?.code, grpc.status.DEADLINE_EXCEEDED);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['rpc.status_code'], 'DEADLINE_EXCEEDED');
    assert.equal(clients[0]!.attributes['error.type'], 'DEADLINE_EXCEEDED');
    assert.equal(clients[0]!.status.code, SpanStatusCode.ERROR);
    assertServerDeadline(servers[0]!);
  });

  test('a deadline the server enforces itself: DEADLINE_EXCEEDED, an error for the server', async () => {
    reset();
    // A plain HTTP/2 gRPC request with a 50 ms grpc-timeout: no client timer races the server's.
    const http2 = require('node:http2') as typeof import('node:http2');
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const serialize = (Echo as unknown as { service: Record<string, { requestSerialize(v: unknown): Buffer }> }).service.Unary!.requestSerialize;
    const body = serialize({ message: 'slow', delayMs: 300 });
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    body.copy(frame, 5);
    const trailers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': `/${UNARY}`, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '50m' });
      stream.on('response', (headers) => {
        if (headers['grpc-status'] !== undefined) resolve(headers);
      });
      stream.on('trailers', resolve);
      stream.on('error', reject);
      stream.resume();
      stream.end(frame);
    });
    session.close();
    assert.equal(trailers['grpc-status'], String(grpc.status.DEADLINE_EXCEEDED));
    const { servers } = await waitForGrpcSpans(0, 1);
    assert.equal(servers[0]!.attributes['rpc.status_code'], 'DEADLINE_EXCEEDED');
    assert.equal(servers[0]!.attributes['error.type'], 'DEADLINE_EXCEEDED');
    assert.equal(servers[0]!.status.code, SpanStatusCode.ERROR);
    assert.equal(durations('rpc.server.call.duration')[0]!.attributes['error.type'], 'DEADLINE_EXCEEDED');
  });

  test('a call to a server nobody listens on: UNAVAILABLE', async () => {
    reset();
    const nowhere = new Echo('127.0.0.1:1', grpc.credentials.createInsecure());
    const answer = await new Promise<GrpcJs.ServiceError | null>((resolve) => nowhere.Unary({ message: 'x' }, resolve));
    nowhere.close();
    assert.equal(answer?.code, grpc.status.UNAVAILABLE);
    const { clients } = await waitForGrpcSpans(1, 0);
    assert.equal(clients[0]!.attributes['error.type'], 'UNAVAILABLE');
    assert.equal(clients[0]!.attributes['server.port'], 1);
    assert.equal(clients[0]!.attributes['network.peer.address'], undefined);
  });

  test('a bare Client: a path the app defined is named; one nobody defined is _OTHER, the span named grpc', async () => {
    reset();
    const bare = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const codec = (Echo as unknown as { service: Record<string, { requestSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown }> }).service.Unary!;
    const call = (path: string) =>
      new Promise<{ error: GrpcJs.ServiceError | null; reply: unknown }>((resolve) =>
        bare.makeUnaryRequest(path, codec.requestSerialize, codec.responseDeserialize, { message: 'bare' }, (error, reply) => resolve({ error, reply })),
      );
    // The app's own stub has this method: the app knows it.
    assert.deepEqual((await call(`/${UNARY}`)).reply, { message: 'bare' });
    let { clients } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.name, UNARY);
    assert.equal(clients[0]!.attributes['server.address'], '127.0.0.1');

    reset();
    assert.equal((await call('/otel.test.Echo/Missing')).error?.code, grpc.status.UNIMPLEMENTED);
    bare.close();
    ({ clients } = await waitForGrpcSpans(1, 0));
    assert.equal(clients[0]!.name, 'grpc');
    assert.equal(clients[0]!.attributes['rpc.method'], '_OTHER');
    assert.equal(clients[0]!.attributes['rpc.method_original'], 'otel.test.Echo/Missing');
    assert.equal(clients[0]!.attributes['error.type'], 'UNIMPLEMENTED');
    assert.equal(durations('rpc.client.call.duration')[0]!.attributes['rpc.method'], '_OTHER');
    assert.equal(durations('rpc.client.call.duration')[0]!.attributes['rpc.method_original'], undefined);
    // grpc-js answers an unregistered method itself, before any handler: no server span.
    assert.equal(grpcSpans(SpanKind.SERVER).length, 0);
  });
});

describe('streaming calls', () => {
  test('client streaming: one span per call, ended when the answer arrives, and the server span its child', async () => {
    reset();
    const req = request();
    const answer = await req.run(
      () =>
        new Promise<{ reply: EchoReply | undefined; active: Span | undefined; ended: boolean }>((resolve, reject) => {
          const call = client.ClientStream((error: Error | null, reply?: EchoReply) =>
            error ? reject(error) : resolve({ reply, active: trace.getSpan(activeContext()), ended: grpcSpans(SpanKind.CLIENT).length === 1 }),
          );
          for (const message of ['a', 'b', 'c']) call.write({ message });
          call.end();
        }),
    );
    req.span.end();
    assert.deepEqual(answer.reply, { message: 'a,b,c' });
    assert.equal(answer.active, req.span);
    assert.equal(answer.ended, true);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.name, 'otel.test.Echo/ClientStream');
    childOf(clients[0]!, req.span);
    childOf(servers[0]!, clients[0]!);
    assert.equal(servers[0]!.attributes['rpc.status_code'], 'OK');
    // The server's 'data' listeners ran in its span.
    assert.equal(seen[0]!.active?.spanContext().spanId, servers[0]!.spanId);
  });

  test('server streaming: the events in the caller\'s context and in the same order as untraced, the span ended by the status', async () => {
    const run = (context: Context) =>
      runWithContext(
        context,
        () =>
          new Promise<{ events: string[]; activeInData: (Span | undefined)[]; endedAtData: boolean[]; endedAtStatus: boolean }>((resolve) => {
            const events: string[] = [];
            const activeInData: (Span | undefined)[] = [];
            const endedAtData: boolean[] = [];
            let endedAtStatus = false;
            const call = client.ServerStream({ message: 'm', count: 3 });
            call.on('metadata', () => events.push('metadata'));
            call.on('data', (reply: EchoReply) => {
              events.push(`data ${reply.message}`);
              activeInData.push(trace.getSpan(activeContext()));
              endedAtData.push(grpcSpans(SpanKind.CLIENT).length > 0);
            });
            call.on('status', (status: GrpcJs.StatusObject) => {
              events.push(`status ${status.code}`);
              endedAtStatus = grpcSpans(SpanKind.CLIENT).length > 0;
            });
            call.on('end', () => events.push('end'));
            call.on('close', () => {
              events.push('close');
              resolve({ events, activeInData, endedAtData, endedAtStatus });
            });
          }),
      );
    reset();
    const untraced = await run(suppressed(ROOT_CONTEXT));
    reset();
    const req = request();
    const traced = await run(req.context);
    req.span.end();
    assert.deepEqual(traced.events, untraced.events);
    assert.deepEqual(traced.events.slice(1, 4), ['data m-0', 'data m-1', 'data m-2']);
    assert.deepEqual(traced.activeInData, [req.span, req.span, req.span]);
    assert.deepEqual(traced.endedAtData, [false, false, false]);
    assert.equal(traced.endedAtStatus, true);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.name, 'otel.test.Echo/ServerStream');
    assert.equal(clients[0]!.attributes['rpc.status_code'], 'OK');
    childOf(clients[0]!, req.span);
    childOf(servers[0]!, clients[0]!);
  });

  test('server streaming failed by the handler: the error event\'s error recorded on the client, the status on both', async () => {
    reset();
    const errors: Error[] = [];
    await new Promise<void>((resolve) => {
      const call = client.ServerStream({ message: 'm', count: 1, failCode: grpc.status.UNAVAILABLE });
      call.on('data', () => {});
      call.on('error', (error: Error) => errors.push(error));
      call.on('status', () => resolve());
    });
    assert.equal(errors.length, 1);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['error.type'], 'UNAVAILABLE');
    assert.equal(clients[0]!.events[0]!.attributes['exception.message'], errors[0]!.message);
    assert.equal(servers[0]!.attributes['error.type'], 'UNAVAILABLE');
    assert.equal(servers[0]!.events[0]!.attributes['exception.message'], 'failed on purpose with 14');
  });

  test('server streaming cancelled by the client: CANCELLED, an error for the client only; the handler sees \'cancelled\' in its span', async () => {
    reset();
    let cancelledIn: Span | undefined;
    let cancelledSeen!: Promise<void>;
    const status = await new Promise<GrpcJs.StatusObject>((resolve) => {
      const call = client.ServerStream({ message: 'm', count: 100, delayMs: 20 });
      call.once('data', () => {
        // The handler started before it wrote this first reply.
        cancelledSeen = new Promise((done) =>
          seen[0]!.call.on('cancelled', () => {
            cancelledIn = trace.getSpan(activeContext());
            done();
          }),
        );
        call.cancel();
      });
      call.on('error', () => {});
      call.on('status', resolve);
    });
    assert.equal(status.code, grpc.status.CANCELLED);
    await cancelledSeen;
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['rpc.status_code'], 'CANCELLED');
    assert.equal(clients[0]!.attributes['error.type'], 'CANCELLED');
    assert.equal(clients[0]!.status.code, SpanStatusCode.ERROR);
    assert.equal(servers[0]!.attributes['rpc.status_code'], 'CANCELLED');
    assert.equal(servers[0]!.attributes['error.type'], undefined);
    assert.equal(servers[0]!.status.code, SpanStatusCode.UNSET);
    assert.equal(cancelledIn?.spanContext().spanId, servers[0]!.spanId);
  });

  test('server streaming past its deadline: DEADLINE_EXCEEDED for the client', async () => {
    reset();
    const status = await new Promise<GrpcJs.StatusObject>((resolve) => {
      const call = client.ServerStream({ message: 'm', count: 100, delayMs: 20 }, { deadline: Date.now() + 80 });
      call.on('data', () => {});
      call.on('error', () => {});
      call.on('status', resolve);
    });
    assert.equal(status.code, grpc.status.DEADLINE_EXCEEDED);
    const { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.attributes['error.type'], 'DEADLINE_EXCEEDED');
    assertServerDeadline(servers[0]!);
  });

  test('bidirectional: replies in the caller\'s context, the span ended by the status, and a failure on the way', async () => {
    reset();
    const req = request();
    const result = await req.run(
      () =>
        new Promise<{ replies: string[]; active: (Span | undefined)[] }>((resolve) => {
          const replies: string[] = [];
          const active: (Span | undefined)[] = [];
          const call = client.Bidi();
          call.on('data', (reply: EchoReply) => {
            replies.push(reply.message);
            active.push(trace.getSpan(activeContext()));
            if (replies.length === 2) call.end();
          });
          call.on('status', () => resolve({ replies, active }));
          call.write({ message: 'x' });
          call.write({ message: 'y' });
        }),
    );
    req.span.end();
    assert.deepEqual(result.replies, ['x', 'y']);
    assert.deepEqual(result.active, [req.span, req.span]);
    let { clients, servers } = await waitForGrpcSpans(1, 1);
    assert.equal(clients[0]!.name, 'otel.test.Echo/Bidi');
    assert.equal(clients[0]!.attributes['rpc.status_code'], 'OK');
    childOf(servers[0]!, clients[0]!);

    reset();
    await new Promise<void>((resolve) => {
      const call = client.Bidi();
      call.on('error', () => {});
      call.on('status', () => resolve());
      call.write({ message: 'z', failCode: grpc.status.DATA_LOSS });
    });
    ({ clients, servers } = await waitForGrpcSpans(1, 1));
    assert.equal(clients[0]!.attributes['error.type'], 'DATA_LOSS');
    assert.equal(servers[0]!.attributes['error.type'], 'DATA_LOSS');
    assert.equal(durations('rpc.server.call.duration')[0]!.attributes['error.type'], 'DATA_LOSS');
  });
});
