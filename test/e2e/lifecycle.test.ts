// Every way out of the process flushes what is pending, and the process leaves exactly as it
// would without us: exit codes, signals, stderr, and no delay when the collector is down.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, runCli, startCli, startProcess } from '../support/run-cli.js';

const SERVICE = ['node', join(FIXTURES, 'http-service.js')];

test('process.exit(3) right after a request still delivers its spans, metrics and logs, with exit code 3', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, EXIT_CODE: '3', OTEL_LOG_LEVEL: 'debug' });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/exit`);
    const exit = await app.exited();
    assert.equal(exit.code, 3);
    const spans = await receiver.waitForSpans(1);
    assert.equal(spans[0]!.attributes['url.path'], '/exit');
    // The request's metrics and the app's "listening" line were pending too: every signal leaves
    // in one sender process.
    await receiver.waitForMetrics((all) => all.some((m) => m.name === 'http.server.request.duration'));
    const logs = await receiver.waitForLogs(1);
    assert.match(String(logs[0]!.body), /^listening \d+ pid \d+$/);
    // All three went to the launcher in one handoff, which sent them after the app was gone.
    assert.equal(exit.stderr.match(/to the launcher at exit/g)?.length, 1, exit.stderr);
    assert.match(exit.stderr, /handed pending traces, metrics, logs to the launcher at exit/);
  } finally {
    await receiver.close();
  }
});

test('process.exit with requests still open ends and delivers every open server, http and fetch client span', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', join(FIXTURES, 'exit-mid-request.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 5);
    const spans = await receiver.waitForSpans(4);
    const names = JSON.stringify(spans.map((s) => `${s.kind} ${s.name}`));
    const servers = spans.filter((s) => s.kind === 2);
    const clients = spans.filter((s) => s.kind === 3);
    assert.equal(servers.length, 2, names);
    assert.equal(clients.length, 2, names);
    for (const span of spans) assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano), names);
    // Each server span is the child of one of the two client spans, which were still open too.
    const clientIds = clients.map((s) => s.spanId).sort();
    assert.deepEqual(servers.map((s) => s.parentSpanId).sort(), clientIds);
    // Neither request was answered: the server spans and the http.get span say aborted.
    for (const span of servers) assert.equal(span.attributes['error.type'], 'aborted');
    const viaGet = clients.find((s) => !String(s.attributes['url.full']).includes('via=fetch'))!;
    assert.equal(viaGet.attributes['error.type'], 'aborted');
  } finally {
    await receiver.close();
  }
});

test('an uncaught exception is recorded on the server span, delivered, and exits with code 1 as plain node does', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
    const exit = await app.exited();
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /Error: handler crashed/);
    assert.doesNotMatch(exit.stderr, /otel-instrument/);
    // The crash report is the plain run's: it points at the app's throw, not at a rethrow of ours.
    // Only the stack gains the frames of our wrapper (emit, and the AsyncLocalStorage it runs in; the build
    // bundles the preload, so emit's frame is in register.bundle.js).
    const plain = startProcess(process.execPath, [SERVICE.at(-1)!]);
    const plainPort = Number((await plain.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${plainPort}/crash`).catch(() => undefined);
    const plainExit = await plain.exited();
    const ourFrames = /^ {4}at (AsyncLocalStorage\.run \(node:(async_hooks|internal\/async_local_storage\/)|runWithContext \(|Server\.emit \(\/.*\/dist\/(instrumentations\/|src\/bootstrap\/register\.bundle\.js:))/;
    assert.equal(exit.stderr.split('\n').filter((line) => !ourFrames.test(line)).join('\n'), plainExit.stderr);
    assert.equal(exit.stderr.split('\n')[0], plainExit.stderr.split('\n')[0]);
    const [span] = await receiver.waitForSpans(1);
    assert.equal(span!.status.code, 2);
    const event = span!.events.find((e) => e.name === 'exception');
    assert.equal(event?.attributes['exception.message'], 'handler crashed');
    assert.equal(event?.attributes['exception.type'], 'Error');
  } finally {
    await receiver.close();
  }
});

test("an app's own SIGTERM handler still runs and decides the exit, and spans are flushed", async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, TRAP_SIGTERM: '1' });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/hello`, { connection: 'close' });
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    assert.equal(exit.code, 0);
    assert.equal(exit.signal, null);
    assert.match(exit.stdout, /app handled SIGTERM/);
    await receiver.waitForSpans(1);
  } finally {
    await receiver.close();
  }
});

test('SIGINT without an app handler flushes, then ends the app by SIGINT as plain node would', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/hello`);
    app.child.kill('SIGINT');
    const exit = await app.exited();
    assert.equal(exit.signal, 'SIGINT');
    await receiver.waitForSpans(1);
  } finally {
    await receiver.close();
  }
});

test('with the collector unreachable the app prints and exits exactly as without the launcher, without delay', async () => {
  const app = ['node', join(FIXTURES, 'one-request.js')];
  const plain = await startProcess(process.execPath, [join(FIXTURES, 'one-request.js')], { EXIT_CODE: '4' }).exited();
  for (const protocol of ['grpc', 'http/protobuf']) {
    const exit = await runCli(app, {
      EXIT_CODE: '4',
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    });
    assert.equal(exit.code, plain.code);
    assert.equal(exit.stdout, plain.stdout);
    // The default export timeout is 10 s; a refused collector must not hold the exit for the retry schedule.
    assert.ok(exit.elapsedMs < plain.elapsedMs + 2000, `took ${exit.elapsedMs} ms (plain ${plain.elapsedMs} ms)`);
    // At most one line about the outage, never a stack trace.
    assert.ok(exit.stderr.split('\n').filter((l) => l.includes('otel-instrument')).length <= 1, exit.stderr);
  }
});

test('a black-holed collector delays exit by no more than the export timeout', async () => {
  const net = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const hole = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((resolve) => hole.once('listening', resolve));
  try {
    const port = (hole.address() as import('node:net').AddressInfo).port;
    const exit = await runCli(['node', join(FIXTURES, 'one-request.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    });
    assert.equal(exit.code, 0);
    assert.ok(exit.elapsedMs < 6000, `took ${exit.elapsedMs} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    hole.close();
  }
});

test('a server answering 5xx marks its span as an error and the client span too', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, DOWNSTREAM_URL: 'http://127.0.0.1:1' });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    assert.equal((await httpGet(`http://127.0.0.1:${port}/fail`)).status, 500);
    assert.equal((await httpGet(`http://127.0.0.1:${port}/front`)).status, 502);
    app.child.kill('SIGTERM');
    await app.exited();
    const spans = await receiver.waitForSpans(3);
    const failed = spans.find((s) => s.attributes['url.path'] === '/fail')!;
    assert.equal(failed.status.code, 2);
    assert.equal(failed.attributes['error.type'], '500');
    const refused = spans.find((s) => s.kind === 3)!;
    assert.equal(refused.status.code, 2);
    assert.equal(refused.attributes['error.type'], 'ECONNREFUSED');
    assert.ok(refused.events.some((e) => e.name === 'exception'));
  } finally {
    await receiver.close();
  }
});
