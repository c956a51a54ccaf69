// ES module apps get the same spans as CommonJS ones, whichever way they import http, and
// through whichever loader-hook API the running Node offers (module.registerHooks on 22.22+/24.11+,
// module.register before). A module seen through both require and import is patched once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, runCli } from '../support/run-cli.js';

for (const style of ['default', 'named', 'namespace']) {
  test(`an ESM app using a ${style} import of http gets one server and one client span per request`, async () => {
    const receiver = await GrpcReceiver.start();
    try {
      const exit = await runCli(['node', join(FIXTURES, 'esm', `${style}-import.mjs`)], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_LOG_LEVEL: 'debug',
      });
      assert.equal(exit.code, 0, exit.stderr);
      assert.equal(exit.stdout, `${style} 200\n`);
      assert.match(exit.stderr, /ESM hooks installed with module\.(registerHooks|register)\n/);
      // The app has exited, so everything it sent has arrived: a duplicate would be here already.
      const spans = await receiver.waitForSpans(2);
      assert.equal(receiver.spans().length, 2, JSON.stringify(receiver.spans().map((s) => [s.name, s.kind])));
      const server = spans.find((s) => s.kind === 2)!;
      const client = spans.find((s) => s.kind === 3)!;
      assert.equal(server.parentSpanId, client.spanId);
      assert.equal(server.attributes['url.path'], `/${style}`);
    } finally {
      await receiver.close();
    }
  });
}

test('a CommonJS entry point does not pay for the ESM loader', async () => {
  const exit = await runCli(['--traces_exporter', 'console', 'node', join(FIXTURES, 'one-request.js')], { OTEL_LOG_LEVEL: 'debug' });
  assert.equal(exit.code, 0, exit.stderr);
  assert.doesNotMatch(exit.stderr, /ESM hooks installed/);
  assert.match(exit.stdout, /"kind":"SpanKind.SERVER"/);
});

test('a TypeScript app run with npx tsx is traced in the app process only', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['npx', 'tsx', join(FIXTURES, 'ts', 'app.ts')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOG_LEVEL: 'debug',
    });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, 'typescript 200\n');
    // One process is instrumented (tsx's own worker threads, e.g. esbuild's, may start in it too).
    assert.equal(exit.stderr.match(/started in pid \d+ \(/g)?.length, 1, exit.stderr);
    assert.match(exit.stderr, /dormant in launcher process .*tsx/);
    const spans = await receiver.waitForSpans(2);
    assert.equal(receiver.spans().length, 2);
    const server = spans.find((s) => s.kind === 2)!;
    assert.equal(server.attributes['url.path'], '/typed');
    assert.match(String(server.resource['process.command']), /app\.ts$/);
    assert.equal(server.parentSpanId, spans.find((s) => s.kind === 3)!.spanId);
  } finally {
    await receiver.close();
  }
});
