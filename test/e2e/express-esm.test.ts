// The same express app written as an ES module and in TypeScript (npx tsx) produces the same
// telemetry as the CommonJS one, with express patched once: one server span per request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

const variants: Record<string, string[]> = {
  'an ES module': ['node', join(FIXTURES, 'express', 'esm-app.mjs')],
  'TypeScript run with npx tsx': ['npx', 'tsx', join(FIXTURES, 'express', 'ts-app.ts')],
};

for (const [variant, command] of Object.entries(variants)) {
  test(`an express app written as ${variant} gets route-named server spans, once per request`, async () => {
    const receiver = await GrpcReceiver.start();
    const app = startCli(command, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    let pid = 0;
    try {
      const [, port, appPid] = await app.waitForLine(/listening (\d+) pid (\d+)/, 30_000);
      pid = Number(appPid);
      const answer = await httpGet(`http://127.0.0.1:${port}/api/users/42`);
      assert.equal(answer.body, '{"user":"42"}');
    } finally {
      // npx runs tsx through a shell that does not pass SIGTERM on (plain npx does the same): signal the app.
      if (pid !== 0) process.kill(pid, 'SIGTERM');
      else app.child.kill('SIGKILL');
      await app.exited();
    }
    try {
      const spans = await receiver.waitForSpans(1);
      const servers = receiver.spans().filter((s) => s.kind === 2);
      assert.equal(new Set(servers.map((s) => s.spanId)).size, 1, JSON.stringify(servers.map((s) => s.name)));
      const server = servers[0]!;
      assert.equal(server.name, 'GET /api/users/:id');
      assert.equal(server.attributes['http.route'], '/api/users/:id');
      const handler = spans.find((s) => s.name === 'request handler - /:id' || String(s.attributes['express.type']) === 'request_handler');
      assert.ok(handler, JSON.stringify(receiver.spans().map((s) => s.name)));
      assert.equal(handler.traceId, server.traceId);
      // Each layer runs once: no layer span is doubled by a second patch.
      const names = receiver.spans().filter((s) => s.kind === 1).map((s) => s.name);
      assert.equal(new Set(names).size, names.length, JSON.stringify(names));
    } finally {
      await receiver.close();
    }
  });
}
