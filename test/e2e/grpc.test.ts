// A gRPC client and a gRPC server in two processes, each under bin/otel-instrument, as CommonJS apps
// and as ES modules: every kind of call, answered, failed, timed out and cancelled. What the real OTLP
// receiver gets: each server span the child of its client span in one trace across the processes,
// the handler's own call under its server span, the conventions' names, attributes and status codes
// on both sides, and rpc.client.call.duration and rpc.server.call.duration. The client makes its calls
// inside a span of its own. With the instrumentation disabled by name, the same calls work and only
// that span of the app's is recorded.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatMetric, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, startCli, waitFor, type Running } from '../support/run-cli.js';

const SERVER = 2;
const CLIENT = 3;
const SCOPE = 'otel-instrument/grpc';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const CODES = { unary: 0, onward: 0, notFound: 5, thrown: 2, deadline: 4, clientStream: 0, serverStream: 0, cancelled: 1, bidi: 0 };

interface PairRun {
  readonly codes: Record<string, number>;
  readonly spans: FlatSpan[];
  readonly metrics: FlatMetric[];
  readonly port: number;
}

/** The server app, then the client app against it; both stopped; what the receiver got. */
async function runPair(serverApp: string, clientApp: string, env: NodeJS.ProcessEnv, expect: { spans: number; measured: number }): Promise<PairRun> {
  const receiver = await GrpcReceiver.start();
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', ...env };
  let server: Running | undefined;
  try {
    server = startCli(['node', join(FIXTURES, 'grpc', serverApp)], { ...common, OTEL_SERVICE_NAME: 'grpc-server' });
    const port = Number((await server.waitForLine(/listening (\d+)/))[1]);
    const client = startCli(['node', join(FIXTURES, 'grpc', clientApp)], { ...common, OTEL_SERVICE_NAME: 'grpc-client', GRPC_TARGET: `127.0.0.1:${port}` });
    const clientExit = await client.exited();
    assert.equal(clientExit.code, 0, clientExit.stderr);
    const codes = JSON.parse(/codes (.*)/.exec(clientExit.stdout)![1]!) as Record<string, number>;
    server.child.kill('SIGTERM');
    const serverExit = await server.exited();
    const spans = await waitFor(() => receiver.spans().length >= expect.spans && receiver.spans(), `${expect.spans} spans (server stderr: ${serverExit.stderr})`);
    const count = (all: FlatMetric[]): number =>
      all.filter((m) => m.name.startsWith('rpc.')).flatMap((m) => m.points).reduce((sum, point) => sum + Number(point.count), 0);
    const metrics = expect.measured === 0 ? receiver.metrics() : await receiver.waitForMetrics((all) => count(all) >= expect.measured);
    return { codes, spans, metrics, port };
  } finally {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await receiver.close();
  }
}

function grpcSpans(run: PairRun, kind: number, service: string): FlatSpan[] {
  return run.spans.filter((s) => s.scope.name === SCOPE && s.kind === kind && s.resource['service.name'] === service);
}

function assertCalls(run: PairRun): void {
  assert.deepEqual(run.codes, CODES);
  const clients = grpcSpans(run, CLIENT, 'grpc-client');
  const calls = run.spans.find((s) => s.name === 'calls' && s.resource['service.name'] === 'grpc-client');
  assert.ok(calls, "the app's own span");
  const servers = grpcSpans(run, SERVER, 'grpc-server');
  // Nine calls from the client; the server's ten include the one it made to itself ('onward').
  assert.equal(clients.length, 9, clients.map((s) => s.name).join(', '));
  assert.equal(servers.length, 10, servers.map((s) => s.name).join(', '));
  const serverOf = (client: FlatSpan): FlatSpan => {
    const found = servers.filter((s) => s.parentSpanId === client.spanId);
    assert.equal(found.length, 1, `server span of ${client.name}`);
    assert.equal(found[0]!.traceId, client.traceId);
    return found[0]!;
  };
  const byStatus = (name: string, status: string): FlatSpan[] =>
    clients.filter((s) => s.name === `otel.test.Echo/${name}` && s.attributes['rpc.status_code'] === status);

  for (const client of clients) {
    // Made inside the app's span: its children, all in its trace.
    assert.equal(client.parentSpanId, calls.spanId);
    assert.equal(client.traceId, calls.traceId);
    assert.equal(client.attributes['rpc.system.name'], 'grpc');
    assert.equal(client.attributes['rpc.method'], client.name);
    assert.equal(client.attributes['server.address'], '127.0.0.1');
    assert.equal(client.attributes['server.port'], run.port);
    const server = serverOf(client);
    assert.equal(server.name, client.name);
    assert.equal(server.attributes['rpc.system.name'], 'grpc');
    assert.equal(server.attributes['rpc.method'], client.name);
    assert.equal(server.attributes['server.address'], '127.0.0.1');
    assert.equal(server.attributes['server.port'], run.port);
    assert.equal(server.attributes['network.peer.address'], '127.0.0.1');
  }

  // Answered: OK on both sides, no error.
  for (const [name, count] of [['Unary', 2], ['ClientStream', 1], ['ServerStream', 1], ['Bidi', 1]] as const) {
    const answered = byStatus(name, 'OK');
    assert.equal(answered.length, count, name);
    for (const client of answered) {
      const server = serverOf(client);
      assert.equal(client.status.code, 0);
      assert.equal(client.attributes['error.type'], undefined);
      assert.equal(client.attributes['network.peer.address'], '127.0.0.1');
      assert.equal(server.attributes['rpc.status_code'], 'OK');
      assert.equal(server.status.code, 0);
    }
  }

  // The handler's own call: a CLIENT span of the server process, under the onward call's server span.
  const inner = run.spans.filter((s) => s.scope.name === SCOPE && s.kind === CLIENT && s.resource['service.name'] === 'grpc-server');
  assert.equal(inner.length, 1);
  const onwardServer = servers.find((s) => s.spanId === inner[0]!.parentSpanId);
  assert.ok(onwardServer, 'the inner call is the child of a server span');
  assert.equal(inner[0]!.traceId, onwardServer.traceId);
  const innerServer = servers.find((s) => s.parentSpanId === inner[0]!.spanId);
  assert.ok(innerServer, 'and the server span of the inner call is its child');
  assert.equal(clients.find((c) => c.spanId === onwardServer.parentSpanId)?.name, 'otel.test.Echo/Unary');

  // NOT_FOUND: the client's error, not the server's.
  const [notFound] = byStatus('Unary', 'NOT_FOUND');
  assert.equal(notFound!.status.code, 2);
  assert.equal(notFound!.status.message, 'failed on purpose with 5');
  assert.equal(notFound!.attributes['error.type'], 'NOT_FOUND');
  assert.equal(notFound!.events[0]?.name, 'exception');
  const notFoundServer = serverOf(notFound!);
  assert.equal(notFoundServer.attributes['rpc.status_code'], 'NOT_FOUND');
  assert.equal(notFoundServer.attributes['error.type'], undefined);
  assert.equal(notFoundServer.status.code, 0);

  // A handler that threw: UNKNOWN, an error on both sides, the thrown error on the server span.
  const [thrown] = byStatus('Unary', 'UNKNOWN');
  assert.equal(thrown!.attributes['error.type'], 'UNKNOWN');
  const thrownServer = serverOf(thrown!);
  assert.equal(thrownServer.attributes['error.type'], 'UNKNOWN');
  assert.equal(thrownServer.status.code, 2);
  assert.equal(thrownServer.events[0]?.attributes['exception.message'], 'handler threw');

  // Past its deadline: the client's error; the server saw its deadline pass or the client give up.
  const [late] = byStatus('Unary', 'DEADLINE_EXCEEDED');
  assert.equal(late!.attributes['error.type'], 'DEADLINE_EXCEEDED');
  const lateServer = serverOf(late!);
  assert.ok(['DEADLINE_EXCEEDED', 'CANCELLED'].includes(String(lateServer.attributes['rpc.status_code'])));
  assert.equal(lateServer.attributes['error.type'], lateServer.attributes['rpc.status_code'] === 'DEADLINE_EXCEEDED' ? 'DEADLINE_EXCEEDED' : undefined);
  // The client span covers the call up to the deadline (200 ms).
  assert.ok(Number(BigInt(late!.endTimeUnixNano) - BigInt(late!.startTimeUnixNano)) >= 190e6);

  // Cancelled by the client: the client's error, not the server's.
  const [cancelled] = byStatus('ServerStream', 'CANCELLED');
  assert.equal(cancelled!.attributes['error.type'], 'CANCELLED');
  assert.equal(cancelled!.status.code, 2);
  const cancelledServer = serverOf(cancelled!);
  assert.equal(cancelledServer.attributes['rpc.status_code'], 'CANCELLED');
  assert.equal(cancelledServer.attributes['error.type'], undefined);
  assert.equal(cancelledServer.status.code, 0);

  // The duration histograms: seconds, the advised boundaries, one measurement per call.
  const metric = (name: string, service: string): FlatMetric => {
    const found = run.metrics.find((m) => m.name === name && m.resource['service.name'] === service && m.scope.name === SCOPE);
    assert.ok(found, `${name} of ${service}`);
    assert.equal(found.kind, 'histogram');
    assert.equal(found.unit, 's');
    for (const point of found.points) assert.deepEqual(point.explicitBounds, BUCKETS);
    return found;
  };
  const countOf = (m: FlatMetric, attributes: Record<string, unknown>): number =>
    m.points.filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v)).reduce((sum, p) => sum + Number(p.count), 0);
  const clientDuration = metric('rpc.client.call.duration', 'grpc-client');
  assert.equal(countOf(clientDuration, {}), 9);
  assert.equal(countOf(clientDuration, { 'rpc.method': 'otel.test.Echo/Unary', 'rpc.status_code': 'OK', 'error.type': undefined }), 2);
  assert.equal(countOf(clientDuration, { 'rpc.status_code': 'NOT_FOUND', 'error.type': 'NOT_FOUND' }), 1);
  assert.equal(countOf(clientDuration, { 'rpc.method': 'otel.test.Echo/ServerStream', 'rpc.status_code': 'CANCELLED', 'error.type': 'CANCELLED' }), 1);
  for (const point of clientDuration.points) {
    assert.deepEqual(
      Object.keys(point.attributes).filter((k) => k !== 'error.type').sort(),
      ['rpc.method', 'rpc.status_code', 'rpc.system.name', 'server.address', 'server.port'],
    );
    assert.equal(point.attributes['server.port'], run.port);
  }
  const serverDuration = metric('rpc.server.call.duration', 'grpc-server');
  assert.equal(countOf(serverDuration, {}), 10);
  assert.equal(countOf(serverDuration, { 'rpc.status_code': 'NOT_FOUND', 'error.type': undefined }), 1);
  assert.equal(countOf(serverDuration, { 'rpc.status_code': 'UNKNOWN', 'error.type': 'UNKNOWN' }), 1);
  for (const point of serverDuration.points) {
    assert.deepEqual(Object.keys(point.attributes).filter((k) => k !== 'error.type').sort(), ['rpc.method', 'rpc.status_code', 'rpc.system.name']);
  }
}

describe('gRPC client and server, each under otel-instrument', () => {
  for (const [variant, serverApp, clientApp] of [
    ['CommonJS', 'server.js', 'client.js'],
    ['ES modules', 'server.mjs', 'client.mjs'],
  ] as const) {
    test(`${variant}: one trace per call across the processes, the conventions on both sides, the duration metrics`, async () => {
      // The app's span, 9 client spans, 10 server spans, 1 inner client span; 10 client and 10 server measurements.
      const run = await runPair(serverApp, clientApp, {}, { spans: 21, measured: 20 });
      assertCalls(run);
    });
  }

  test('disabled by name: the calls work as before and nothing of gRPC is recorded', async () => {
    // The app's own span arrives: the telemetry pipeline works; both launchers delivered everything before exiting.
    const run = await runPair('server.js', 'client.js', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'grpc' }, { spans: 1, measured: 0 });
    assert.deepEqual(run.codes, CODES);
    assert.deepEqual(run.spans.map((s) => s.name), ['calls']);
    assert.deepEqual(run.spans.filter((s) => s.scope.name === SCOPE), []);
    assert.deepEqual(run.metrics.filter((m) => m.name.startsWith('rpc.')), []);
  });
});
