// Collectors that answer in ways they should not. A connection ended with GOAWAY
// mid-export, answers that cannot be decoded, errors with bodies that are not OTLP: every export ends
// with the right result, is retried only when that can help, and nothing accepted is lost.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { ExportResult } from '../../../src/core/export-result.js';
import { resetWarnOnce } from '../../../src/diag/log.js';
import { createOtlpTraceExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { exportOnce, FAST_BACKOFF, otlpConfig, withDiag } from '../../support/exporter-helpers.js';
import { GoawayProxy, type GoawayAction } from '../../support/goaway-proxy.js';
import { makeTestSpan, startGrpcReceiver } from '../../support/otlp-receiver.js';

async function throughProxy(plan: GoawayAction[], exports: number): Promise<{ results: ExportResult[]; names: string[]; proxy: GoawayProxy }> {
  const receiver = await startGrpcReceiver();
  const proxy = await GoawayProxy.start(receiver.url, plan);
  try {
    const exporter = createOtlpTraceExporter(otlpConfig('grpc', proxy.url), { backoff: FAST_BACKOFF });
    const results: ExportResult[] = [];
    for (let i = 0; i < exports; i++) results.push(await exportOnce(exporter, [makeTestSpan({ name: `export ${i}` })]));
    await exporter.shutdown();
    return { results, names: receiver.spans().map((s) => s.name), proxy };
  } finally {
    await proxy.close();
    await receiver.close();
  }
}

test('GOAWAY refusing the stream mid-export: the export is sent again on a new connection and arrives once', () =>
  withDiag(async (log) => {
    const { results, names, proxy } = await throughProxy(['refuse', 'pass', 'refuse'], 3);
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
    assert.deepEqual(names, ['export 0', 'export 1', 'export 2']);
    assert.deepEqual(proxy.actions, ['refuse', 'pass', 'refuse', 'pass', 'pass']);
    assert.equal(proxy.connections, 3, 'a new connection after each GOAWAY');
    assert.deepEqual(log.warn, []);
  }));

test('a graceful GOAWAY after the answer: that export succeeded, the next one opens a new connection', () =>
  withDiag(async (log) => {
    const { results, names, proxy } = await throughProxy(['after', 'after', 'pass'], 3);
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
    assert.deepEqual(names, ['export 0', 'export 1', 'export 2']);
    assert.deepEqual(proxy.actions, ['after', 'after', 'pass']);
    assert.equal(proxy.connections, 3);
    assert.deepEqual(log.warn, []);
  }));

/** A raw HTTP/2 server that answers every call with `respond`. */
async function withHttp2(respond: (stream: http2.ServerHttp2Stream) => void, fn: (url: string) => Promise<void>): Promise<void> {
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.resume();
    stream.on('end', () => respond(stream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Sessions the exporter keeps open end with the server.
      for (const s of (server as unknown as { sessions?: Set<http2.ServerHttp2Session> }).sessions ?? []) s.destroy();
    });
  }
}

test('gRPC OK with a response message that is not protobuf: accepted, nothing warned', () =>
  withDiag(async (log) =>
    withHttp2(
      (stream) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        // A length-prefixed message whose bytes are no valid protobuf (field 0, truncated varint).
        stream.end(Buffer.from([0, 0, 0, 0, 3, 0x00, 0xff, 0xff]));
      },
      async (url) => {
        const exporter = createOtlpTraceExporter(otlpConfig('grpc', url), { backoff: FAST_BACKOFF });
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        exporter.shutdown().catch(() => undefined);
        assert.deepEqual(log.warn, []);
        assert.ok(log.debug.some((m) => m.includes('response could not be decoded')));
      },
    ),
  ));

test('an HTML error page from a proxy in front of gRPC is an error with its HTTP status, not retried when it cannot help', () =>
  withDiag(async (log) =>
    withHttp2(
      (stream) => {
        stream.respond({ ':status': 403, 'content-type': 'text/html' });
        stream.end('<html><body>Forbidden</body></html>');
      },
      async (url) => {
        const exporter = createOtlpTraceExporter(otlpConfig('grpc', url), { backoff: FAST_BACKOFF });
        const result = await exportOnce(exporter);
        exporter.shutdown().catch(() => undefined);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.retryable, false);
        assert.equal(log.warn.length, 1, log.warn.join('\n'));
        assert.match(log.warn[0]!, /will not be retried/);
      },
    ),
  ));

/** A raw HTTP/1.1 server answering every request with `answer`. */
async function withHttp(answer: (res: http.ServerResponse, n: number) => void, fn: (url: string, count: () => number) => Promise<void>): Promise<void> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res, n++));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, () => n);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`HTTP 200 of the request's content type with a body that does not decode (${protocol}): accepted, the status is the collector's word, nothing warned`, () =>
    withDiag(async (log) =>
      withHttp(
        (res) => {
          res.writeHead(200, { 'content-type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf' });
          res.end(protocol === 'http/json' ? '{"partialSuccess": nope' : Buffer.from([0x0a, 0xff, 0xff]));
        },
        async (url, count) => {
          const exporter = createOtlpTraceExporter(otlpConfig(protocol, url), { backoff: FAST_BACKOFF });
          assert.deepEqual(await exportOnce(exporter), { ok: true });
          await exporter.shutdown();
          assert.equal(count(), 1);
          assert.deepEqual(log.warn, []);
        },
      ),
    ));
}

test('HTTP 503 with an HTML body is retried, then accepted; HTTP 400 with garbage is reported by status and not retried', () =>
  withDiag(async (log) =>
    withHttp(
      (res, n) => {
        if (n === 0) {
          res.writeHead(503, { 'content-type': 'text/html' });
          res.end('<h1>upstream down</h1>');
        } else if (n === 2) {
          res.writeHead(400, { 'content-type': 'application/x-protobuf' });
          res.end(Buffer.from([0xff, 0xff, 0xff]));
        } else res.writeHead(200).end();
      },
      async (url, count) => {
        const exporter = createOtlpTraceExporter(otlpConfig('http/protobuf', url), { backoff: FAST_BACKOFF });
        assert.deepEqual(await exportOnce(exporter), { ok: true });
        assert.equal(count(), 2);
        const rejected = await exportOnce(exporter);
        await exporter.shutdown();
        assert.equal(count(), 3, 'the 400 was not retried');
        assert.equal(!rejected.ok && rejected.error.message, 'HTTP status 400');
        assert.equal(log.warn.length, 1, log.warn.join('\n'));
        assert.match(log.warn[0]!, /traces export to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed and will not be retried: HTTP status 400$/);
      },
    ),
  ));

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>';

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  const OTLP_TYPE = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  const NOT_OTLP: readonly { what: string; headers: http.OutgoingHttpHeaders; body: string }[] = [
    { what: 'an HTML page', headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_PAGE },
    { what: 'an empty body of another content type', headers: { 'content-type': 'text/plain' }, body: '' },
    { what: 'a page without a content type', headers: {}, body: HTML_PAGE },
  ];
  for (const { what, headers, body } of NOT_OTLP) {
    test(`HTTP 200 with ${what} where ${OTLP_TYPE} was due (${protocol}): a failed export, not retried, one warning naming the endpoint`, () =>
      withDiag(async (log) =>
        withHttp(
          (res) => res.writeHead(200, headers).end(body),
          async (url, count) => {
            resetWarnOnce('otlp-rejected-traces-HTTP_NOT_OTLP'); // said once per process: each case here is a new one
            const exporter = createOtlpTraceExporter(otlpConfig(protocol, url), { backoff: FAST_BACKOFF });
            const first = await exportOnce(exporter);
            const second = await exportOnce(exporter);
            await exporter.shutdown();
            for (const result of [first, second]) {
              assert.equal(result.ok, false);
              assert.equal(!result.ok && result.retryable, false);
              assert.match(!result.ok ? result.error.message : '', /^HTTP status 200 is not an OTLP response \(/);
            }
            assert.equal(count(), 2, 'not retried');
            assert.equal(log.warn.length, 1, log.warn.join('\n'));
            assert.match(log.warn[0]!, /^OTLP traces export to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed and will not be retried: HTTP status 200 is not an OTLP response/);
          },
        ),
      ));
  }

  test(`HTTP 200 with an empty body and the request's content type is a success (${protocol})`, () =>
    withDiag(async (log) =>
      withHttp(
        (res) => res.writeHead(200, { 'content-type': `${OTLP_TYPE}; charset=utf-8` }).end(),
        async (url) => {
          const exporter = createOtlpTraceExporter(otlpConfig(protocol, url), { backoff: FAST_BACKOFF });
          assert.deepEqual(await exportOnce(exporter), { ok: true });
          await exporter.shutdown();
          assert.deepEqual(log.warn, []);
        },
      ),
    ));
}
