import { test } from 'node:test';
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as net from 'node:net';
import { isSuppressed } from '../../../src/context/suppress.js';
import { resetWarnOnce } from '../../../src/diag/log.js';
import type { ExportResult } from '../../../src/core/export-result.js';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { createHttpTransport, parseRetryAfter } from '../../../src/export/otlp/transport/http.js';
import { exportOnce, FAST_BACKOFF, holdingLoop, otlpConfig, withDiag, withHttpReceiver as withReceiver } from '../../support/exporter-helpers.js';
import { makeTestSpan, startHttpReceiver } from '../../support/otlp-receiver.js';

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  for (const compression of ['none', 'gzip'] as const) {
    test(`${protocol} with compression ${compression} delivers every span with headers and user agent`, () =>
      withReceiver(async (receiver) => {
        const exporter = createOtlpTraceExporter(
          otlpConfig('http/protobuf', receiver.signalUrl(), { protocol, compression, headers: { 'x-api-key': 'k1', 'x-tenant': 't' } }),
        );
        const spans = [
          makeTestSpan({ name: 'a', kind: 2, startTime: [1_700_000_000, 123_456_789], attributes: { s: 'x', i: 5, d: 1.5, b: true, arr: ['p', 'q'] } }),
          makeTestSpan({ name: 'b', status: { code: 2, message: 'err' } }),
        ];
        const result = await exportOnce(exporter, spans);
        await exporter.shutdown();
        assert.deepEqual(result, { ok: true });
        const req = receiver.requests[0];
        assert.equal(req.decodeError, undefined);
        assert.equal(req.path, '/v1/traces');
        assert.equal(req.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        assert.equal(req.compressed, compression === 'gzip');
        assert.equal(req.headers['x-api-key'], 'k1');
        assert.equal(req.headers['x-tenant'], 't');
        assert.match(req.headers['user-agent'], /^otel-instrument\/\S+ OTel-OTLP-Exporter-JavaScript\/\S+$/);
        const got = receiver.spans();
        assert.deepEqual(
          got.map((s) => s.name),
          ['a', 'b'],
        );
        assert.equal(got[0].kind, 3);
        assert.equal(got[0].startTimeUnixNano, '1700000000123456789');
        assert.deepEqual(got[0].attributes, { s: 'x', i: 5, d: 1.5, b: true, arr: ['p', 'q'] });
        assert.deepEqual(got[1].status, { code: 2, message: 'err' });
        assert.equal(got[0].flags, 0x101);
      }));
  }
}

test('Retry-After parses delta-seconds and HTTP-dates', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('429 with Retry-After is retried no earlier than the server asked', () =>
  withReceiver(async (receiver) => {
    receiver.respond({ httpStatus: 429, retryAfter: '1' });
    const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()), { backoff: { initialMs: 1, jitter: 0 } });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests.length, 2);
    const gap = receiver.requests[1].receivedAt - receiver.requests[0].receivedAt;
    assert.ok(gap >= 950, `retried after ${gap} ms`);
  }));

test('503 then 200 succeeds after one retry', () =>
  withReceiver(async (receiver) => {
    receiver.respond({ httpStatus: 503 });
    const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()), { backoff: FAST_BACKOFF });
    assert.deepEqual(await exportOnce(exporter), { ok: true });
    await exporter.shutdown();
    assert.equal(receiver.requests.length, 2);
  }));

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`400 is not retried and its google.rpc.Status message is reported (${protocol})`, () =>
    withReceiver(async (receiver) => {
      receiver.failNext(3, { httpStatus: 400, message: 'span name missing' });
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl(), { protocol }), { backoff: FAST_BACKOFF });
      const result = await exportOnce(exporter);
      await exporter.shutdown();
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retryable, false);
      assert.equal(!result.ok && result.error.message, 'HTTP status 400: span name missing');
      assert.equal(receiver.requests.length, 1);
    }));
}

test('other 5xx statuses such as 500 are not retried', () =>
  withReceiver(async (receiver) => {
    receiver.failNext(3, { httpStatus: 500 });
    const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()), { backoff: FAST_BACKOFF });
    const result = await exportOnce(exporter);
    await exporter.shutdown();
    assert.equal(!result.ok && result.retryable, false);
    assert.equal(receiver.requests.length, 1);
  }));

test('a collector that never answers yields a retryable timeout within the deadline', () =>
  withReceiver(async (receiver) => {
    receiver.respond({ hang: true });
    const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl(), { timeoutMs: 300 }), { backoff: FAST_BACKOFF });
    const started = Date.now();
    const result = await exportOnce(exporter);
    const elapsed = Date.now() - started;
    await exporter.shutdown();
    assert.equal(!result.ok && result.retryable, true);
    assert.ok(elapsed >= 250 && elapsed < 1500, `took ${elapsed} ms`);
  }));

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`a partial success is warned about once per message (${protocol})`, () =>
    withDiag(async (log) =>
      withReceiver(async (receiver) => {
        receiver.respond(
          { partialSuccess: { rejected: 3, errorMessage: 'dropped invalid spans' } },
          { partialSuccess: { rejected: 3, errorMessage: 'dropped invalid spans' } },
        );
        const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl(), { protocol }));
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        await exporter.shutdown();
        const partial = log.warn.filter((m) => m.includes('partially'));
        assert.equal(partial.length, 1);
        assert.match(partial[0], /3 spans rejected: dropped invalid spans/);
      }),
    ));
}

test('a connection refused is retryable, warned once per outage, and recovery resets the warning', () =>
  withDiag((log) =>
    holdingLoop(async () => {
      resetWarnOnce('otlp-unreachable-traces'); // warnings are per process; start from a clean slate
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const url = `http://me:secret@127.0.0.1:${port}/v1/traces?token=abc`;
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', url), { backoff: { initialMs: 1, maxRetries: 1 } });
      const first = await exportOnce(exporter);
      assert.equal(!first.ok && first.retryable, true);
      await exportOnce(exporter);
      assert.equal(log.warn.filter((m) => m.includes('cannot reach')).length, 1);
      const receiver = await startHttpReceiver({ port });
      try {
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        assert.equal(log.info.filter((m) => m.includes('takes data again after an outage')).length, 1, log.info.join('\n'));
        await receiver.close();
        await exportOnce(exporter);
        const warnings = log.warn.filter((m) => m.includes('cannot reach'));
        assert.equal(warnings.length, 2, 'a new outage warns again');
        assert.equal(
          warnings[0],
          `cannot reach the OTLP collector at http://127.0.0.1:${port}/v1/traces?token=REDACTED: ECONNREFUSED; will keep retrying, telemetry may be dropped`,
        );
      } finally {
        await exporter.shutdown();
        await receiver.close();
      }
    }),
  ));

test('the exporter request itself runs with tracing suppressed', () =>
  withReceiver(async (receiver) => {
    const seen: boolean[] = [];
    const onStart = (): void => void seen.push(isSuppressed());
    diagnosticsChannel.subscribe('http.client.request.start', onStart);
    try {
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()));
      assert.deepEqual(await exportOnce(exporter), { ok: true });
      await exporter.shutdown();
    } finally {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
    }
    assert.deepEqual(seen, [true]);
  }));

test('a request above the size limit is split into halves: what fits is sent, an item too large alone is dropped with one warning', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()), { maxRequestBytes: 1000 });
      const spans = Array.from({ length: 10 }, (_, i) => makeTestSpan({ name: `s${i}`, attributes: { big: 'x'.repeat(i === 7 ? 2000 : 50) } }));
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();
      assert.equal(!result.ok && result.retryable, false, 'the batch as a whole failed: one span was dropped');
      assert.ok(receiver.requests.length > 1);
      assert.ok(receiver.requests.every((r) => r.raw.length <= 1000));
      assert.deepEqual(receiver.spans().map((s) => s.name).sort(), ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's8', 's9']);
      assert.equal(log.warn.length, 1, log.warn.join('\n'));
      assert.match(log.warn[0]!, /1000-byte request limit refuses a request of \d+ bytes; dropped 1 spans/);
    }),
  ));

test('HTTP 413 from the collector: the batch is sent again in halves until it fits, nothing lost and no warning', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      const tooLarge = { httpStatus: 413, message: 'request entity too large' };
      receiver.respond(tooLarge, tooLarge);
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()));
      const spans = Array.from({ length: 10 }, (_, i) => makeTestSpan({ name: `s${i}` }));
      const result = await exportOnce(exporter, spans);
      await exporter.shutdown();
      assert.equal(result.ok, true);
      // 10 refused, 5 refused, then 2 + 3 + 5 accepted.
      assert.deepEqual(receiver.requests.map((r) => r.body.resourceSpans[0].scopeSpans[0].spans.length), [10, 5, 2, 3, 5]);
      assert.deepEqual(receiver.requests.slice(2).flatMap((r) => r.body.resourceSpans[0].scopeSpans[0].spans.map((sp: { name: string }) => sp.name)), spans.map((sp) => sp.name));
      assert.deepEqual(log.warn, []);
      assert.ok(log.debug.some((m) => m.includes('refused (HTTP 413) a request of')));
    }),
  ));

test('HTTP 413 for a single item: dropped with one warning, never retried forever', () =>
  withDiag(async (log) =>
    withReceiver(async (receiver) => {
      receiver.failNext(10, { httpStatus: 413 });
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()));
      const first = await exportOnce(exporter, [makeTestSpan()]);
      const second = await exportOnce(exporter, [makeTestSpan(), makeTestSpan()]);
      await exporter.shutdown();
      assert.equal(first.ok || second.ok, false);
      assert.equal(receiver.requests.length, 4, 'one try, then two halves of one, for the second export');
      assert.equal(log.warn.length, 1, log.warn.join('\n'));
      assert.match(log.warn[0]!, /collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces refused \(HTTP 413\) a request of \d+ bytes; dropped 1 spans/);
    }),
  ));

test('an encoder failure becomes a non-retryable result, never a throw', () =>
  withDiag(async () =>
    withReceiver(async (receiver) => {
      const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()));
      const broken = makeTestSpan();
      Object.defineProperty(broken, 'attributes', {
        get() {
          throw new Error('broken span');
        },
      });
      const result = await exportOnce(exporter, [broken]);
      await exporter.shutdown();
      assert.equal(!result.ok && result.retryable, false);
      assert.equal(receiver.requests.length, 0);
    }),
  ));

test('an empty batch succeeds without a request', () =>
  withReceiver(async (receiver) => {
    const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', receiver.signalUrl()));
    assert.deepEqual(await exportOnce(exporter, []), { ok: true });
    await exporter.shutdown();
    assert.equal(receiver.requests.length, 0);
  }));

test('keep-alive connections are reused between exports', () =>
  withReceiver(async (receiver) => {
    const transport = createHttpTransport({ url: receiver.signalUrl(), contentType: 'application/x-protobuf', headers: {}, compression: 'none' });
    for (let i = 0; i < 3; i++) {
      const r = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 5000, resolve));
      assert.deepEqual(r, { ok: true });
    }
    await transport.shutdown();
    assert.equal(new Set(receiver.requests.map((r) => r.peer)).size, 1);
  }));

test('a response body above 4 MiB is a non-retryable error', async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end(Buffer.alloc(5 * 1024 * 1024));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1/traces`;
  try {
    const transport = createHttpTransport({ url, contentType: 'application/x-protobuf', headers: {}, compression: 'none' });
    const result = await new Promise<ExportResult>((resolve) => transport.send(new Uint8Array(0), Date.now() + 5000, resolve));
    await transport.shutdown();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retryable, false);
    assert.match(!result.ok ? result.error.message : '', /exceeds 4 MiB/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
