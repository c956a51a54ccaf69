// socket.io and socket.io-client are patched from 4.0 to 4.x only: copies of the installed packages
// with their version set to 5.0.0 are left as they are. They also stand in for peers that do not run
// this instrumentation, beside the instrumented installed 4.x: what each app receives is unchanged
// (no context argument is ever sent to a peer that did not say it is instrumented), and the
// instrumented side still records its own spans, as roots.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as SocketIo from 'socket.io';
import type * as SocketIoClient from 'socket.io-client';
import { isWrapped } from '../../../src/hook/patch.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const inProcess = instrumentInProcess(['socket.io']);

const root = mkdtempSync(join(tmpdir(), 'otel-instrument-socket-io-5-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The installed package as version `version`, its dependencies linked, in a node_modules of its own. */
function copyAs(name: string, version: string): string {
  const installed = dirname(require.resolve(`${name}/package.json`));
  const copy = join(root, 'node_modules', name);
  cpSync(installed, copy, { recursive: true, filter: (path) => !path.endsWith('.map') && !path.endsWith('.d.ts') });
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, version }));
  const resolveFrom = createRequire(join(installed, 'package.json'));
  for (const dependency of Object.keys(manifest.dependencies)) {
    const target = join(root, 'node_modules', dependency);
    mkdirSync(dirname(target), { recursive: true });
    // Where node would find it from the installed package (some packages do not export package.json).
    const found = resolveFrom.resolve.paths(dependency)!.map((dir) => join(dir, dependency)).find((dir) => existsSync(join(dir, 'package.json')))!;
    if (!existsSync(target)) symlinkSync(found, target);
  }
  return join(root, 'app.js');
}

const installedServer = require('socket.io') as typeof SocketIo;
const installedClient = require('socket.io-client') as typeof SocketIoClient;
const otherServer = createRequire(copyAs('socket.io', '5.0.0'))('socket.io') as typeof SocketIo;
const otherClient = createRequire(copyAs('socket.io-client', '5.0.0'))('socket.io-client') as typeof SocketIoClient;

/** A server of `lib` that echoes each 'ping' back as 'pong' with the arguments it received. */
async function echoServer(lib: typeof SocketIo): Promise<{ url: string; close: () => Promise<void>; received: unknown[][] }> {
  const http = createServer();
  const server = new lib.Server(http);
  const received: unknown[][] = [];
  server.on('connection', (socket) => {
    socket.on('ping', (...args: unknown[]) => {
      received.push(args);
      socket.emit('pong', ...args);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())), received };
}

/** Connects with `lib`, sends two pings and returns the pongs' arguments. */
async function pingTwice(lib: typeof SocketIoClient, url: string): Promise<unknown[][]> {
  const socket = lib.io(url, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const pongs: unknown[][] = [];
  const done = new Promise<void>((resolve) => {
    socket.on('pong', (...args: unknown[]) => {
      pongs.push(args);
      if (pongs.length === 2) resolve();
    });
  });
  socket.emit('ping', 'one', { n: 1 });
  socket.emit('ping', 'two', [2]);
  await done;
  socket.disconnect();
  return pongs;
}

const PINGS = [
  ['one', { n: 1 }],
  ['two', [2]],
];

test('socket.io and socket.io-client 5.0.0 are left unpatched; the installed 4.x are patched', () => {
  assert.notEqual(otherServer.Server, installedServer.Server);
  assert.notEqual(otherClient.Socket, installedClient.Socket);
  const serverSocket = require(join(dirname(require.resolve('socket.io')), 'socket.js')) as { Socket: { prototype: Record<string, unknown> } };
  assert.equal(isWrapped(serverSocket.Socket.prototype.emit), true);
  assert.equal(isWrapped(installedClient.Socket.prototype.emit), true);
  const otherSocket = require(join(root, 'node_modules', 'socket.io', 'dist', 'socket.js')) as { Socket: { prototype: Record<string, unknown> } };
  assert.equal(isWrapped(otherSocket.Socket.prototype.emit), false);
  assert.equal(isWrapped(otherClient.Socket.prototype.emit), false);
});

test('an instrumented client and an uninstrumented server: the server app gets the arguments as sent; the client records its spans', async () => {
  const server = await echoServer(otherServer);
  inProcess.clear();
  const pongs = await pingTwice(installedClient, server.url);
  await server.close();
  assert.deepEqual(server.received, PINGS);
  assert.deepEqual(pongs, PINGS);
  await waitForSpans(inProcess.spans, 4);
  assert.deepEqual(inProcess.spans.map((s) => `${s.kind} ${s.attributes['messaging.socket.io.event_name']}`).sort(), [
    `${SpanKind.PRODUCER} ping`,
    `${SpanKind.PRODUCER} ping`,
    `${SpanKind.CONSUMER} pong`,
    `${SpanKind.CONSUMER} pong`,
  ].sort());
  for (const span of inProcess.spans.filter((s) => s.kind === SpanKind.CONSUMER)) assert.equal(span.parentSpanId, undefined);
});

test('an uninstrumented client and an instrumented server: the client app gets the arguments as sent; the server records its spans', async () => {
  const server = await echoServer(installedServer);
  inProcess.clear();
  const pongs = await pingTwice(otherClient, server.url);
  await server.close();
  assert.deepEqual(server.received, PINGS);
  assert.deepEqual(pongs, PINGS);
  await waitForSpans(inProcess.spans, 4);
  const process = inProcess.spans.filter((s) => s.kind === SpanKind.CONSUMER);
  assert.equal(process.length, 2);
  for (const span of process) assert.equal(span.parentSpanId, undefined);
  // The server's emits are the children of the event they answer.
  for (const send of inProcess.spans.filter((s) => s.kind === SpanKind.PRODUCER)) assert.ok(process.some((p) => p.spanId === send.parentSpanId));
});
