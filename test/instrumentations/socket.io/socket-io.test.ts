// socket.io 4 server and socket.io-client 4 in this process, both instrumented, talking over a real
// websocket on loopback: the send and process spans of each event with the conventions' names and
// attributes, the context carried across the socket in both directions (the app's arguments
// unchanged), rooms on broadcasts, acks run in their emit's context, and errors (a refused event,
// a reserved event name).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server as HttpServer } from 'node:http';
import type * as SocketIo from 'socket.io';
import type * as SocketIoClient from 'socket.io-client';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider, waitForSpans } from '../../support/in-process-instrumentation.js';

const inProcess = instrumentInProcess(['socket.io']);
const { Server } = require('socket.io') as typeof SocketIo;
const { io } = require('socket.io-client') as typeof SocketIoClient;
const appTracer = recordingTracerProvider((span) => inProcess.spans.push(span)).getTracer('app');

let http: HttpServer;
let server: SocketIo.Server;
let url: string;
let port: number;
/** What the server's listeners received, by event. */
const received: Record<string, unknown[]> = {};

before(async () => {
  http = createServer();
  server = new Server(http);
  const onConnection = (socket: SocketIo.Socket): void => {
    socket.use(([event], next) => (event === 'forbidden' ? next(new Error('not allowed')) : next()));
    socket.on('error', () => {});
    socket.on('greet', (...args: unknown[]) => {
      received.greet = args;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: true, inside: trace.getSpan(activeContext())?.spanContext().spanId });
    });
    socket.on('join', (room: string) => {
      void socket.join(room);
      socket.emit('joined', room, { n: 1 });
    });
    socket.on('shout', (room: string) => {
      socket.nsp.to(room).emit('news', 'hello room');
    });
  };
  server.on('connection', onConnection);
  server.of('/chat').on('connection', onConnection);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  port = (http.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function connect(namespace = ''): Promise<SocketIoClient.Socket> {
  const socket = io(url + namespace, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

function only(spans: readonly ReadableSpan[], filter: (span: ReadableSpan) => boolean, what: string): ReadableSpan {
  const found = spans.filter(filter);
  assert.equal(found.length, 1, `${what}: ${spans.map((s) => `${s.name}/${s.kind}/${s.attributes['messaging.socket.io.event_name']}`).join(', ')}`);
  return found[0]!;
}

const eventIs = (event: string, kind: number) => (span: ReadableSpan) => span.attributes['messaging.socket.io.event_name'] === event && span.kind === kind;

test('a client emit is a send span; the server processes it as its child, with the same arguments; the ack runs where the app emitted', async () => {
  const socket = await connect();
  inProcess.clear();
  const app = appTracer.startSpan('app work');
  const answer = await new Promise<{ ok: boolean; inside: string }>((resolve) => {
    runWithContext(trace.setSpan(ROOT_CONTEXT, app), () => {
      socket.emit('greet', 'hi', 42, { nested: [1, 2] }, Buffer.from('binary'), (reply: { ok: boolean; inside: string }) => {
        received.ackSpan = [trace.getSpan(activeContext())?.spanContext().spanId];
        resolve(reply);
      });
    });
  });
  app.end();
  await waitForSpans(inProcess.spans, 3);
  socket.disconnect();

  // The app's listener got exactly what was emitted (a binary event: the Buffer is an attachment),
  // then socket.io's ack function.
  assert.deepEqual(received.greet!.slice(0, 4), ['hi', 42, { nested: [1, 2] }, Buffer.from('binary')]);
  assert.equal(received.greet!.length, 5);
  assert.equal(answer.ok, true);

  const send = only(inProcess.spans, eventIs('greet', SpanKind.PRODUCER), 'client send');
  assert.equal(send.name, 'emit /');
  assert.equal(send.parentSpanId, app.spanContext().spanId);
  assert.deepEqual(send.attributes, {
    'messaging.system': 'socket.io',
    'messaging.operation.name': 'emit',
    'messaging.operation.type': 'send',
    'messaging.destination.name': '/',
    'server.address': '127.0.0.1',
    'server.port': port,
    'messaging.socket.io.event_name': 'greet',
  });
  const process = only(inProcess.spans, eventIs('greet', SpanKind.CONSUMER), 'server process');
  assert.equal(process.name, 'process /');
  assert.equal(process.traceId, send.traceId);
  assert.equal(process.parentSpanId, send.spanId);
  assert.deepEqual(process.links.map((link) => link.spanId), [send.spanId]);
  assert.deepEqual(process.attributes, {
    'messaging.system': 'socket.io',
    'messaging.operation.name': 'process',
    'messaging.operation.type': 'process',
    'messaging.destination.name': '/',
    'messaging.socket.io.event_name': 'greet',
  });
  // The listener ran in the process span; the ack callback in the app's span, where it emitted.
  assert.equal(answer.inside, process.spanId);
  assert.deepEqual(received.ackSpan, [app.spanContext().spanId]);
  // The messaging metrics of each side.
  const instruments = inProcess.measurements.map((m) => `${m.instrument} ${m.attributes['messaging.operation.type']}`).sort();
  assert.deepEqual(instruments, [
    'messaging.client.consumed.messages process',
    'messaging.client.operation.duration send',
    'messaging.client.sent.messages send',
    'messaging.process.duration process',
  ]);
});

test('once the client has shown it is instrumented, the server emits to it with context too; broadcasts to a room carry the room', async () => {
  const socket = await connect('/chat');
  const joined = new Promise<unknown[]>((resolve) => socket.once('joined', (...args: unknown[]) => resolve(args)));
  const news = new Promise<unknown[]>((resolve) => socket.once('news', (...args: unknown[]) => resolve(args)));
  inProcess.clear();
  socket.emit('join', 'room-1');
  assert.deepEqual(await joined, ['room-1', { n: 1 }]);
  socket.emit('shout', 'room-1');
  assert.deepEqual(await news, ['hello room']);
  await waitForSpans(inProcess.spans, 8);
  socket.disconnect();

  const joinProcess = only(inProcess.spans, eventIs('join', SpanKind.CONSUMER), 'server processes join');
  assert.equal(joinProcess.name, 'process /chat');
  const reply = only(inProcess.spans, eventIs('joined', SpanKind.PRODUCER), 'server emits joined');
  assert.equal(reply.name, 'emit /chat');
  assert.equal(reply.parentSpanId, joinProcess.spanId);
  assert.equal(reply.attributes['server.address'], undefined);
  const replyProcess = only(inProcess.spans, eventIs('joined', SpanKind.CONSUMER), 'client processes joined');
  assert.equal(replyProcess.parentSpanId, reply.spanId);
  assert.equal(replyProcess.traceId, reply.traceId);

  const broadcast = only(inProcess.spans, eventIs('news', SpanKind.PRODUCER), 'server broadcasts news');
  assert.equal(broadcast.name, 'emit /chat');
  assert.deepEqual(broadcast.attributes['messaging.socket.io.rooms'], ['room-1']);
  // A broadcast carries no context (one packet for every recipient): the client's span is a root, unlinked.
  const newsProcess = only(inProcess.spans, eventIs('news', SpanKind.CONSUMER), 'client processes news');
  assert.equal(newsProcess.parentSpanId, undefined);
  assert.deepEqual(newsProcess.links, []);
});

test('an event refused by a middleware ends its process span as failed; a reserved event name fails the emit and throws as before', async () => {
  const socket = await connect();
  inProcess.clear();
  socket.emit('forbidden', 1);
  await waitForSpans(inProcess.spans, 2);
  const refused = only(inProcess.spans, eventIs('forbidden', SpanKind.CONSUMER), 'refused');
  assert.equal(refused.status.code, SpanStatusCode.ERROR);
  assert.equal(refused.status.message, 'not allowed');
  assert.equal(refused.attributes['error.type'], 'Error');
  assert.equal(refused.events[0]?.name, 'exception');

  inProcess.clear();
  assert.throws(() => socket.emit('disconnect' as never), /"disconnect" is a reserved event name/);
  const failed = only(inProcess.spans, eventIs('disconnect', SpanKind.PRODUCER), 'reserved');
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.attributes['error.type'], 'Error');
  socket.disconnect();
});
