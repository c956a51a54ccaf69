// Outgoing fetch() and undici requests under the launcher, as a real OTLP receiver sees them:
// one CLIENT span per request, between the caller's server span and the callee's server span,
// with the stable HTTP attributes, errors and cancellations, and the app's output unchanged.
//
// One app serves every test (its spans are exported every 100 ms); the tests run in order and
// the last one counts everything the earlier ones caused.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, startProcess, waitFor, type Running } from '../support/run-cli.js';

const APP = join(FIXTURES, 'fetch', 'fetch-app.js');
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const UNSET = 0;

let receiver: GrpcReceiver;
let app: Running;
let frontPort: number;
let backPort: number;
/** Routes called on the instrumented app, in order, to replay on the plain one. */
const called: string[] = [];

before(async () => {
  receiver = await GrpcReceiver.start();
  app = startCli(['node', APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
  const match = await app.waitForLine(/listening (\d+) back (\d+)/);
  frontPort = Number(match[1]);
  backPort = Number(match[2]);
});

after(async () => {
  app?.child.kill('SIGKILL');
  await receiver?.close();
});

async function call(route: string): Promise<any> {
  called.push(route);
  const answer = await httpGet(`http://127.0.0.1:${frontPort}${route}`);
  assert.equal(answer.status, 200, answer.body);
  return JSON.parse(answer.body);
}

/**
 * One copy of each span. The exit path re-sends a batch whose export was still unconfirmed
 * (at-least-once delivery), so a receiver may get a span twice.
 */
function distinct(spans: FlatSpan[]): FlatSpan[] {
  return [...new Map(spans.map((s) => [s.spanId, s])).values()];
}

/** The spans of the trace whose front server span served `route`, once `count` of them arrived. */
async function traceOf(route: string, count: number): Promise<{ server: FlatSpan; clients: FlatSpan[]; spans: FlatSpan[] }> {
  const server = await waitFor(
    () => receiver.spans().find((s) => s.kind === SERVER && s.attributes['url.path'] === route),
    `the server span of ${route}`,
  );
  const spans = await waitFor(() => {
    const inTrace = distinct(receiver.spans()).filter((s) => s.traceId === server.traceId);
    return inTrace.length >= count && inTrace;
  }, `${count} spans in the trace of ${route}`);
  return { server, clients: spans.filter((s) => s.kind === CLIENT), spans };
}

/** The back server's span that the client span called. */
function calleeOf(client: FlatSpan, spans: FlatSpan[]): FlatSpan | undefined {
  return spans.find((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
}

test('a fetch in a request handler is a CLIENT span between the server span and the downstream server span', async () => {
  const answer = await call('/fetch');
  assert.equal(answer.status, 200);
  const { server, clients, spans } = await traceOf('/fetch', 3);
  assert.equal(spans.length, 3);
  assert.equal(clients.length, 1);
  const client = clients[0]!;
  assert.equal(client.parentSpanId, server.spanId);
  const callee = calleeOf(client, spans);
  assert.ok(callee, 'the downstream server span is a child of the fetch span');
  assert.equal(callee.attributes['url.path'], '/echo');
  assert.equal(answer.body.traceparent, `00-${client.traceId}-${client.spanId}-01`);

  assert.equal(client.name, 'GET');
  assert.equal(client.attributes['http.request.method'], 'GET');
  assert.equal(client.attributes['http.request.method_original'], undefined);
  assert.equal(client.attributes['server.address'], '127.0.0.1');
  assert.equal(client.attributes['server.port'], backPort);
  assert.equal(client.attributes['url.full'], `http://127.0.0.1:${backPort}/echo?sig=REDACTED&page=2`);
  assert.equal(client.attributes['http.response.status_code'], 200);
  assert.equal(client.attributes['network.protocol.version'], '1.1');
  assert.equal(client.attributes['network.peer.address'], '127.0.0.1');
  assert.equal(client.attributes['network.peer.port'], backPort);
  assert.equal(client.attributes['error.type'], undefined);
  assert.equal(client.status.code, UNSET);
  assert.equal(client.events.length, 0);
  // The span covers the exchange: it starts before the callee and ends after it answered.
  assert.ok(BigInt(client.startTimeUnixNano) <= BigInt(callee.startTimeUnixNano));
  assert.ok(BigInt(client.endTimeUnixNano) >= BigInt(callee.endTimeUnixNano));
});

test('a 404 or 500 answer marks the fetch span as an error with error.type set to the status code', async () => {
  assert.equal((await call('/missing')).status, 404);
  assert.equal((await call('/fail')).status, 500);
  for (const [route, status, method] of [['/missing', 404, 'POST'], ['/fail', 500, 'GET']] as const) {
    const { server, clients, spans } = await traceOf(route, 3);
    assert.equal(clients.length, 1, route);
    const client = clients[0]!;
    assert.equal(client.parentSpanId, server.spanId);
    assert.ok(calleeOf(client, spans), `${route}: downstream span under the fetch span`);
    assert.equal(client.name, method);
    assert.equal(client.attributes['http.request.method'], method);
    assert.equal(client.attributes['http.response.status_code'], status);
    assert.equal(client.attributes['error.type'], String(status));
    assert.equal(client.status.code, ERROR);
    // An error status is no exception: there is nothing thrown to record.
    assert.equal(client.events.length, 0);
  }
});

test('a refused connection ends the fetch span as an error with error.type ECONNREFUSED and the exception', async () => {
  const answer = await call('/refused');
  assert.deepEqual(answer, { error: 'TypeError', cause: 'ECONNREFUSED' });
  const { server, clients } = await traceOf('/refused', 2);
  assert.equal(clients.length, 1);
  const client = clients[0]!;
  assert.equal(client.parentSpanId, server.spanId);
  assert.match(String(client.attributes['url.full']), /^http:\/\/127\.0\.0\.1:\d+\/nowhere$/);
  assert.equal(client.attributes['http.response.status_code'], undefined);
  assert.equal(client.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(client.status.code, ERROR);
  const exception = client.events.find((e) => e.name === 'exception');
  assert.match(String(exception?.attributes['exception.message']), /ECONNREFUSED/);
});

test('an aborted fetch is recorded as a cancellation: error.type AbortError and the exception, status not an error', async () => {
  assert.deepEqual(await call('/abort'), { error: 'AbortError' });
  const { server, clients, spans } = await traceOf('/abort', 3);
  assert.equal(clients.length, 1);
  const client = clients[0]!;
  assert.equal(client.parentSpanId, server.spanId);
  assert.ok(calleeOf(client, spans), 'the request reached the downstream server before the abort');
  assert.equal(client.attributes['http.response.status_code'], undefined);
  assert.equal(client.attributes['error.type'], 'AbortError');
  // Semantic conventions: an intentional client cancellation is not an error.
  assert.equal(client.status.code, UNSET);
  const exception = client.events.find((e) => e.name === 'exception');
  assert.equal(exception?.attributes['exception.type'], 'AbortError');
});

test('undici.request and undici.fetch from the npm package are traced like the global fetch', async () => {
  for (const route of ['/undici-request', '/undici-fetch']) {
    const answer = await call(route);
    const { server, clients, spans } = await traceOf(route, 3);
    assert.equal(clients.length, 1, route);
    const client = clients[0]!;
    assert.equal(client.parentSpanId, server.spanId, route);
    assert.ok(calleeOf(client, spans), `${route}: downstream span under the client span`);
    assert.equal(answer.body.traceparent, `00-${client.traceId}-${client.spanId}-01`);
    assert.equal(client.attributes['url.full'], `http://127.0.0.1:${backPort}/echo`);
    assert.equal(client.attributes['http.response.status_code'], 200);
  }
});

test('the global fetch driving an npm undici Agent makes exactly one client span', async () => {
  const answer = await call('/npm-dispatcher');
  const { clients, spans } = await traceOf('/npm-dispatcher', 3);
  assert.equal(clients.length, 1);
  assert.equal(spans.length, 3);
  assert.equal(answer.body.traceparentCount, 1);
  assert.equal(answer.body.traceparent, `00-${clients[0]!.traceId}-${clients[0]!.spanId}-01`);
});

test('a traceparent set by the app is sent as it is and never twice', async () => {
  const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const answer = await call('/own-traceparent');
  assert.deepEqual(answer.body, { traceparent: own, traceparentCount: 1 });
  const { server, clients } = await traceOf('/own-traceparent', 2);
  assert.equal(clients.length, 1);
  assert.equal(clients[0]!.parentSpanId, server.spanId);
});

test('every request made exactly one client span, and the app printed what it prints without the launcher', async () => {
  app.child.kill('SIGTERM');
  const exit = await app.exited();
  assert.equal(exit.signal, 'SIGTERM');
  assert.doesNotMatch(exit.stderr, /otel-instrument|Error/);

  // After the flush: one client span per outgoing request, and nothing else.
  const spans = distinct(receiver.spans());
  const clients = spans.filter((s) => s.kind === CLIENT);
  assert.equal(clients.length, called.length, JSON.stringify(clients.map((s) => s.attributes['url.full'])));
  for (const route of called) {
    const server = spans.find((s) => s.kind === SERVER && s.attributes['url.path'] === route)!;
    assert.equal(clients.filter((c) => c.parentSpanId === server.spanId).length, 1, route);
  }

  const plain = startProcess(process.execPath, [APP]);
  try {
    const port = Number((await plain.waitForLine(/listening (\d+)/))[1]);
    for (const route of called) await httpGet(`http://127.0.0.1:${port}${route}`);
    plain.child.kill('SIGTERM');
    const plainExit = await plain.exited();
    const withoutPorts = (text: string) => text.split('\n').slice(1).join('\n');
    assert.equal(withoutPorts(exit.stdout), withoutPorts(plainExit.stdout));
    assert.equal(exit.stderr, plainExit.stderr);
  } finally {
    plain.child.kill('SIGKILL');
  }
});
