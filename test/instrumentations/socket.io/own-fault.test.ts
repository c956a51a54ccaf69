// When our own code throws inside the socket.io patches (here: its tracer throws on every span), the
// conversation goes on exactly as unpatched: every listener gets the arguments that were emitted, acks
// answer, and nothing of socket.io is recorded (the instrumentation turned itself off).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as SocketIo from 'socket.io';
import type * as SocketIoClient from 'socket.io-client';
import { instrumentWithFaultyTracer } from '../../support/in-process-instrumentation.js';

const spans = instrumentWithFaultyTracer(['socket.io'], 'socket.io');
const { Server } = require('socket.io') as typeof SocketIo;
const { io } = require('socket.io-client') as typeof SocketIoClient;

test('a tracer that throws: events, arguments and acks as unpatched, no spans', async () => {
  const http = createServer();
  const server = new Server(http);
  const received: unknown[][] = [];
  server.on('connection', (socket) => {
    socket.on('ping', (...args: unknown[]) => {
      received.push(args.slice(0, -1));
      (args[args.length - 1] as (reply: string) => void)('pong');
      socket.emit('back', ...args.slice(0, -1));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const socket = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] });
  const back: unknown[][] = [];
  const bothBack = new Promise<void>((resolve) =>
    socket.on('back', (...args: unknown[]) => {
      back.push(args);
      if (back.length === 2) resolve();
    }),
  );
  const replies = [await socket.emitWithAck('ping', 1, { a: 'b' }), await socket.emitWithAck('ping', 'two')];
  await bothBack;
  socket.disconnect();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.deepEqual(replies, ['pong', 'pong']);
  assert.deepEqual(received, [[1, { a: 'b' }], ['two']]);
  assert.deepEqual(back, [[1, { a: 'b' }], ['two']]);
  assert.deepEqual(spans, []);
});
