// The koa app written as an ES module (koa's and @koa/router's ESM builds) gets the same telemetry as a
// CommonJS one, each patch applied once: one server span and one handler span per request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

test('a koa app written as an ES module gets route-named server spans, one handler span each, and its handler errors', async () => {
  const receiver = await GrpcReceiver.start();
  const app = startCli(['node', join(FIXTURES, 'koa', 'esm-app.mjs')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });
  try {
    const [, port] = await app.waitForLine(/listening (\d+) pid (\d+)/, 30_000);
    assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/api/users/42`), { status: 200, body: '{"user":"42"}' });
    assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/api/fail`), { status: 500, body: 'Internal Server Error' });
  } finally {
    app.child.kill('SIGTERM');
    await app.exited();
  }
  try {
    await receiver.waitForSpans(4);
    const spans = receiver.spans();
    const servers = spans.filter((s) => s.kind === 2);
    assert.deepEqual(servers.map((s) => [s.name, s.attributes['http.route']]).sort(), [
      ['GET /api/fail', '/api/fail'],
      ['GET /api/users/:id', '/api/users/:id'],
    ]);
    for (const server of servers) {
      const handlers = spans.filter((s) => s.parentSpanId === server.spanId);
      assert.deepEqual(handlers.map((s) => s.name), [`router - ${server.attributes['http.route']}`]);
    }
    const failed = servers.find((s) => s.name === 'GET /api/fail')!;
    assert.equal(failed.attributes['error.type'], 'RangeError');
    assert.equal(failed.events.filter((e) => e.name === 'exception').length, 1);
    assert.equal(spans.length, 4, JSON.stringify(spans.map((s) => s.name)));
  } finally {
    await receiver.close();
  }
});
