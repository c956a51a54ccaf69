// Every OTLP protocol, with gzip, headers and endpoint rules, against real receivers that
// decode with the official schema.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, runCli } from '../support/run-cli.js';

const APP = ['node', join(FIXTURES, 'one-request.js')];

function assertOneRequestTrace(spans: FlatSpan[]): void {
  const server = spans.find((s) => s.kind === 2);
  const client = spans.find((s) => s.kind === 3);
  assert.ok(server && client, JSON.stringify(spans));
  assert.equal(server.traceId, client.traceId);
  assert.equal(server.parentSpanId, client.spanId);
  assert.equal(server.attributes['url.path'], '/hello');
  assert.equal(server.attributes['url.query'], 'x=1');
  assert.match(String(client.attributes['url.full']), /\/hello\?x=1$/);
  assert.match(server.startTimeUnixNano, /^\d{19}$/);
  assert.ok(BigInt(server.endTimeUnixNano) >= BigInt(server.startTimeUnixNano));
}

test('grpc is the default protocol, with gzip and headers', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['--exporter_otlp_compression', 'gzip', ...APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret%20value,x-tenant=acme',
    });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, '200 hello /hello?x=1\n');
    assertOneRequestTrace(await receiver.waitForSpans(2));
    const request = receiver.requests[0]!;
    assert.equal(request.compressed, true);
    assert.equal(request.headers['x-api-key'], 'secret value');
    assert.equal(request.headers['x-tenant'], 'acme');
    assert.doesNotMatch(exit.stderr, /secret/);
  } finally {
    await receiver.close();
  }
});

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`${protocol} posts to <endpoint>/v1/traces, gzip and headers included`, async () => {
    const receiver = await HttpReceiver.start();
    try {
      const exit = await runCli(['--exporter_otlp_protocol', protocol, ...APP], {
        OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/base/`,
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20token',
      });
      assert.equal(exit.code, 0, exit.stderr);
      assertOneRequestTrace(await receiver.waitForSpans(2));
      // The exporter posts with the node:http we patch: its own requests must never become spans.
      assert.equal(receiver.spans().length, 2);
      assert.ok(!receiver.spans().some((s) => String(s.attributes['url.full'] ?? '').includes('/v1/traces')));
      // Traces, metrics and logs leave together at exit: they may arrive in any order.
      const request = receiver.requests.find((r) => r.path.endsWith('/v1/traces'));
      assert.equal(request?.path, '/base/v1/traces', JSON.stringify(receiver.requests.map((r) => r.path)));
      assert.equal(request.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      assert.equal(request.compressed, true);
      assert.equal(request.headers.authorization, 'Bearer token');
    } finally {
      await receiver.close();
    }
  });
}

test('a per-signal endpoint is used as is and its protocol wins over the generic one', async () => {
  const receiver = await HttpReceiver.start();
  try {
    const exit = await runCli(APP, {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`,
    });
    assert.equal(exit.code, 0, exit.stderr);
    await receiver.waitForSpans(2);
    assert.equal(receiver.requests[0]!.path, '/custom/traces');
  } finally {
    await receiver.close();
  }
});

test('the exit code of the app passes through after the flush', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(APP, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, EXIT_CODE: '7' });
    assert.equal(exit.code, 7);
    await receiver.waitForSpans(2);
  } finally {
    await receiver.close();
  }
});
