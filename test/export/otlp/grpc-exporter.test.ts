import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ExportResult } from '../../../src/core/export-result.js';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { createGrpcTransport } from '../../../src/export/otlp/transport/grpc.js';
import { TRACE_SERVICE_PATH } from '../../../src/export/otlp/transport/grpc-paths.js';
import { exportOnce, FAST_BACKOFF, holdingLoop, otlpConfig, withDiag, withGrpcReceiver as withReceiver } from '../../support/exporter-helpers.js';
import { makeTestSpan, startGrpcReceiver } from '../../support/otlp-receiver.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('spans exported over gRPC arrive decoded by the official schema, with headers and user agent', () =>
  withReceiver(async (receiver) => {
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url, { headers: { 'x-api-key': 'secret-value', authorization: 'Bearer t' } }));
    const result = await exportOnce(exporter, [makeTestSpan({ name: 'hello', kind: 1, attributes: { 'http.request.method': 'GET', n: 3 } })]);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    const [span] = receiver.spans();
    assert.equal(span.name, 'hello');
    assert.equal(span.kind, 2);
    assert.deepEqual(span.attributes, { 'http.request.method': 'GET', n: 3 });
    assert.deepEqual(span.resource, { 'service.name': 'otlp-test' });
    const req = receiver.requests[0];
    assert.equal(req.path, TRACE_SERVICE_PATH);
    assert.equal(req.headers['x-api-key'], 'secret-value');
    assert.equal(req.headers['authorization'], 'Bearer t');
    assert.match(req.headers['user-agent'], /^otel-instrument\/\d+\.\d+\.\d+\S* OTel-OTLP-Exporter-JavaScript\/\d+\.\d+\.\d+/);
    assert.equal(req.compressed, false);
  }));

test('gzip compression is announced and the receiver decompresses the message', () =>
  withReceiver(async (receiver) => {
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url, { compression: 'gzip' }));
    const spans = Array.from({ length: 50 }, () => makeTestSpan({ attributes: { 'url.full': 'http://example.com/'.repeat(5) } }));
    const result = await exportOnce(exporter, spans);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests[0].compressed, true);
    assert.equal(receiver.spans().length, 50);
  }));

test('one session is reused across exports', () =>
  withReceiver(async (receiver) => {
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url));
    for (let i = 0; i < 3; i++) assert.deepEqual(await exportOnce(exporter), { ok: true });
    await exporter.shutdown();
    const peers = new Set(receiver.requests.map((r) => r.peer));
    assert.equal(receiver.requests.length, 3);
    assert.equal(peers.size, 1);
  }));

test('UNAVAILABLE is retried until the collector accepts', () =>
  withReceiver(async (receiver) => {
    receiver.failNext(2, { grpcCode: 14, message: 'try later' });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: FAST_BACKOFF });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests.length, 3);
  }));

test('INVALID_ARGUMENT is not retried', () =>
  withReceiver(async (receiver) => {
    receiver.failNext(3, { grpcCode: 3, message: 'bad data' });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: FAST_BACKOFF });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retryable, false);
    assert.match(!result.ok ? result.error.message : '', /INVALID_ARGUMENT.*bad data/);
    assert.equal(receiver.requests.length, 1);
  }));

test('RESOURCE_EXHAUSTED without RetryInfo is not retried', () =>
  withReceiver(async (receiver) => {
    receiver.failNext(3, { grpcCode: 8, message: 'quota' });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: FAST_BACKOFF });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.equal(!result.ok && result.retryable, false);
    assert.equal(receiver.requests.length, 1);
  }));

test('RESOURCE_EXHAUSTED with RetryInfo is retried after the advertised delay', () =>
  withReceiver(async (receiver) => {
    // Transport level: the delay comes back as retryAfterMs.
    receiver.respond({ grpcCode: 8, message: 'slow down', retryDelayMs: 1500 });
    const transport = createGrpcTransport({ url: receiver.url, path: TRACE_SERVICE_PATH, headers: {}, compression: 'none' });
    const raw = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 5000, resolve));
    await transport.shutdown();
    assert.equal(raw.ok, false);
    assert.equal(!raw.ok && raw.retryable, true);
    assert.equal(!raw.ok && raw.retryAfterMs, 1500);

    // Exporter level: retried, not before the delay.
    receiver.respond({ grpcCode: 8, message: 'slow down', retryDelayMs: 150 });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: { initialMs: 1, jitter: 0 } });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests.length, 3);
    const gap = receiver.requests[2].receivedAt - receiver.requests[1].receivedAt;
    assert.ok(gap >= 140, `retried after ${gap} ms`);
  }));

test('a partial success is logged once per distinct message and counts as success', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      receiver.respond(
        { partialSuccess: { rejected: 2, errorMessage: 'spans too old' } },
        { partialSuccess: { rejected: 1, errorMessage: 'spans too old' } },
        { partialSuccess: { rejected: 0, errorMessage: 'deprecated field' } },
      );
      const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url));
      for (let i = 0; i < 3; i++) assert.deepEqual(await exportOnce(exporter), { ok: true });
      await exporter.shutdown();
      assert.equal(receiver.requests.length, 3, 'never retried');
      const partial = log.warn.filter((m) => m.includes('partially'));
      assert.equal(partial.length, 2);
      assert.match(partial[0], /2 spans rejected: spans too old/);
      assert.match(partial[1], /deprecated field/);
    }),
  ));

test('a collector that never answers yields a retryable DEADLINE_EXCEEDED within the timeout', () =>
  withReceiver(async (receiver) => {
    receiver.respond({ hang: true });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url, { timeoutMs: 300 }), { backoff: FAST_BACKOFF });
    const started = Date.now();
    const result = await exportOnce(exporter);
    const elapsed = Date.now() - started;
    await exporter.shutdown();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retryable, true);
    assert.match(!result.ok ? result.error.message : '', /deadline exceeded/);
    assert.ok(elapsed >= 250 && elapsed < 1500, `took ${elapsed} ms`);
  }));

test('the exporter reconnects after the collector restarts on the same port', async () => {
  let receiver = await startGrpcReceiver();
  const port = receiver.port;
  const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: FAST_BACKOFF });
  try {
    assert.deepEqual(await exportOnce(exporter), { ok: true });
    await receiver.close();
    receiver = await startGrpcReceiver({ port });
    assert.deepEqual(await exportOnce(exporter, [makeTestSpan({ name: 'after-restart' })]), { ok: true });
    assert.deepEqual(
      receiver.spans().map((s) => s.name),
      ['after-restart'],
    );
  } finally {
    await exporter.shutdown();
    await receiver.close();
  }
});

test('a collector that is not listening gives a retryable connection error quickly', async () => {
  const port = await freePort();
  const transport = createGrpcTransport({ url: `http://127.0.0.1:${port}`, path: TRACE_SERVICE_PATH, headers: {}, compression: 'none' });
  const started = Date.now();
  const result = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 5000, resolve));
  await transport.shutdown();
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.retryable, true);
  assert.equal(!result.ok && (result.error as { code?: string }).code, 'ECONNREFUSED');
  assert.ok(Date.now() - started < 1000);
});

test('an outage warns once without secrets, and its end is one info line with its length and what was dropped', () =>
  withDiag(async (log) => holdingLoop(async () => {
    // The warning is keyed by collector, and this port is new to the process: a clean slate.
    const port = await freePort();
    const url = `http://user:pw@127.0.0.1:${port}`;
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', url, { headers: { 'x-api-key': 'top-secret' } }), {
      backoff: { initialMs: 1, maxRetries: 1 },
    });
    assert.equal((await exportOnce(exporter)).ok, false);
    assert.equal((await exportOnce(exporter)).ok, false);
    const receiver = await startGrpcReceiver({ port });
    try {
      assert.deepEqual(await exportOnce(exporter), { ok: true });
      const unreachable = log.warn.filter((m) => m.includes('cannot reach'));
      assert.equal(unreachable.length, 1);
      assert.equal(unreachable[0], `cannot reach the OTLP collector at http://127.0.0.1:${port}/: ECONNREFUSED; will keep retrying, telemetry may be dropped`);
      assert.ok(!log.warn.join('\n').includes('top-secret'));
      assert.ok(!log.warn.join('\n').includes('pw'));
      assert.equal(log.info.length, 1, log.info.join('\n'));
      assert.match(log.info[0]!, new RegExp(`^the OTLP collector at http://127\\.0\\.0\\.1:${port}/ takes data again after an outage of \\d+\\.\\d s; dropped meanwhile: 0 spans, 0 metric data points, 0 log records$`));
    } finally {
      await exporter.shutdown();
      await receiver.close();
    }
  })));

test('a collector that keeps answering UNAVAILABLE until the retries run out is an outage: said once, and again after it recovered', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: { initialMs: 1, maxMs: 2, maxRetries: 2 } });
      const down = { grpcCode: 14, message: 'overloaded' };
      receiver.failNext(6, down);
      assert.equal((await exportOnce(exporter)).ok, false);
      assert.equal((await exportOnce(exporter)).ok, false);
      assert.deepEqual(await exportOnce(exporter), { ok: true });
      receiver.failNext(3, down);
      assert.equal((await exportOnce(exporter)).ok, false);
      await exporter.shutdown();
      const outages = log.warn.filter((m) => m.includes('keeps failing'));
      assert.equal(outages.length, 2, log.warn.join('\n'));
      assert.match(outages[0]!, /^the OTLP collector at http:\/\/127\.0\.0\.1:\d+\/ keeps failing traces exports \(.*overloaded.*\); will keep retrying, telemetry may be dropped$/);
    }),
  ));

test('shutdown ends pending retries promptly and later exports fail without sending', () =>
  withReceiver(async (receiver) => {
    receiver.failNext(1, { grpcCode: 14 });
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', receiver.url), { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const pending = exportOnce(exporter);
    await receiver.waitForRequests(1);
    const started = Date.now();
    await exporter.shutdown();
    const result = await pending;
    assert.equal(!result.ok && result.retryable, false);
    assert.ok(Date.now() - started < 1000);
    const after = await exportOnce(exporter);
    assert.equal(after.ok, false);
    assert.equal(receiver.requests.length, 1);
  }));

test('HTTP/2 statuses from a proxy map to gRPC codes: 503 retryable, 404 not', async () => {
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    stream.respond({ ':status': Number(headers['x-status']) });
    stream.end('proxy says no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    for (const [status, retryable, code] of [[503, true, 'GRPC_UNAVAILABLE'], [404, false, 'GRPC_UNIMPLEMENTED']] as const) {
      const transport = createGrpcTransport({ url, path: TRACE_SERVICE_PATH, headers: { 'x-status': String(status) }, compression: 'none' });
      const result = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 2000, resolve));
      await transport.shutdown();
      assert.equal(!result.ok && result.retryable, retryable, `status ${status}`);
      assert.equal(!result.ok && (result.error as { code?: string }).code, code);
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('pointing gRPC at an HTTP/1.1 port fails with a hint about the endpoint', async () => {
  const server = http.createServer((_req, res) => res.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    const transport = createGrpcTransport({ url, path: TRACE_SERVICE_PATH, headers: {}, compression: 'none' });
    const result = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 2000, resolve));
    await transport.shutdown();
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error.message : '', /OTLP\/HTTP endpoint\?/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('traces and metrics sent to the same unreachable collector warn once between them', () =>
  withDiag(async (log) => holdingLoop(async () => {
    const { createOtlpMetricsExporter } = await import('../../../src/export/otlp/otlp-exporter.js');
    const port = await freePort();
    const cfg = otlpConfig('grpc', `http://127.0.0.1:${port}`);
    const traces = createOtlpTraceExporter(cfg, { backoff: { initialMs: 1, maxRetries: 0 } });
    const metrics = createOtlpMetricsExporter(cfg, { backoff: { initialMs: 1, maxRetries: 0 } });
    const collection = {
      resource: { attributes: {} },
      scopeMetrics: [{ scope: { name: 's' }, metrics: [{ kind: 'gauge' as const, name: 'g', description: '', unit: '', valueType: 'double' as const,
        points: [{ attributes: {}, startTime: [1, 0] as [number, number], time: [2, 0] as [number, number], value: 1, exemplars: [] }] }] }],
    };
    try {
      assert.equal((await exportOnce(traces)).ok, false);
      assert.equal((await new Promise<{ ok: boolean }>((resolve) => metrics.export([collection], resolve))).ok, false);
      assert.equal(log.warn.filter((m) => m.includes('cannot reach')).length, 1);
    } finally {
      await traces.shutdown();
      await metrics.shutdown();
    }
  })));

// A closed http2 stream is a wrapped native object: V8's scavenges keep it, and all its listeners reach,
// until a full GC. Under load that promoted every batch (and, through it, the requests' objects) to the
// old generation. So a finished call's stream must reach neither the body nor the caller's callback.
test('a finished call leaves neither its body nor the caller callback reachable from its stream', () =>
  withReceiver(async (receiver) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const streams: http2.ClientHttp2Stream[] = [];
    const transport = createGrpcTransport({ url: receiver.url, path: TRACE_SERVICE_PATH, headers: {}, compression: 'none' });
    const probe = http2.connect(receiver.url);
    const sessions = Object.getPrototypeOf(probe) as http2.ClientHttp2Session;
    probe.destroy();
    const request = Object.getOwnPropertyDescriptor(sessions, 'request')!;
    sessions.request = function (this: http2.ClientHttp2Session, ...args: Parameters<http2.ClientHttp2Session['request']>) {
      const stream = (request.value as http2.ClientHttp2Session['request']).apply(this, args);
      streams.push(stream); // held here as the scavenger holds it
      return stream;
    };
    try {
      const { result, body, callback } = await sendTracked(transport);
      assert.deepEqual(result, { ok: true });
      assert.equal(streams.length, 1);
      await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets are kept until the job ends
      gc();
      assert.equal(body.deref(), undefined, 'the body is still reachable');
      assert.equal(callback.deref(), undefined, 'the caller callback is still reachable');
    } finally {
      Object.defineProperty(sessions, 'request', request);
      await transport.shutdown();
    }
  }));

/** One send whose body and callback only the transport holds; weak references to both. */
async function sendTracked(transport: ReturnType<typeof createGrpcTransport>): Promise<{ result: ExportResult; body: WeakRef<object>; callback: WeakRef<object> }> {
  let body: WeakRef<object> | undefined;
  let callback: WeakRef<object> | undefined;
  const result = await new Promise<ExportResult>((resolve) => {
    const bytes = new Uint8Array(0);
    const done = (r: ExportResult): void => resolve(r);
    body = new WeakRef(bytes);
    callback = new WeakRef(done);
    transport.send(bytes, Date.now() + 5000, done);
  });
  return { result, body: body!, callback: callback! };
}
