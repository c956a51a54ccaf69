// The fastify app written as an ES module (default and named imports) gets the same telemetry as a
// CommonJS one: fastify announces its instance on a diagnostics channel however it was loaded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

test('a fastify app written as an ES module gets route-named server spans and handler spans, an outgoing call under its handler', async () => {
  const receiver = await GrpcReceiver.start();
  const app = startCli(['node', join(FIXTURES, 'fastify', 'esm-app.mjs')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  try {
    const [, port] = await app.waitForLine(/listening (\d+) pid (\d+)/, 30_000);
    const answer = await httpGet(`http://127.0.0.1:${port}/api/outgoing`);
    assert.equal(answer.body, '{"downstream":{"user":"7"}}');
  } finally {
    app.child.kill('SIGTERM');
    await app.exited();
  }
  try {
    await receiver.waitForSpans(5);
    const spans = receiver.spans();
    const servers = spans.filter((s) => s.kind === 2);
    assert.deepEqual(servers.map((s) => s.name).sort(), ['GET /api/outgoing', 'GET /api/users/:id']);
    const outer = servers.find((s) => s.name === 'GET /api/outgoing')!;
    const handler = spans.find((s) => s.parentSpanId === outer.spanId)!;
    assert.equal(handler.name, 'handler - GET /api/outgoing');
    const client = spans.find((s) => s.parentSpanId === handler.spanId)!;
    assert.equal(client.kind, 3);
    const inner = servers.find((s) => s.name === 'GET /api/users/:id')!;
    assert.equal(inner.parentSpanId, client.spanId);
    assert.equal(inner.attributes['http.route'], '/api/users/:id');
    assert.equal(spans.filter((s) => s.name === 'handler - GET /api/users/:id' && s.parentSpanId === inner.spanId).length, 1);
  } finally {
    await receiver.close();
  }
});
