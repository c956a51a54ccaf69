// require('otel-instrument').start() / import { start } from 'otel-instrument': the SDK started from the
// app's code, with no launcher and no preload; shutdown() sends what is pending; with the preload as well,
// the SDK still starts once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, startCli, startProcess } from '../support/run-cli.js';

interface ConsoleSpan {
  readonly name: string;
  readonly kind: string;
  readonly resource: { readonly attributes: Record<string, unknown> };
}

function spans(stdout: string): ConsoleSpan[] {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ConsoleSpan);
}

for (const [label, app, service] of [
  ['CommonJS, require', 'app.js', 'started-from-code'],
  ['ES module, import, a default import of node:http', 'app.mjs', 'esm-from-code'],
  ['ES module, import, named imports of node:http', 'named.mjs', 'esm-from-code'],
] as const) {
  test(`${label}: start() instruments the app, shutdown() sends its spans`, async () => {
    const exit = await startProcess(process.execPath, [join(FIXTURES, 'programmatic', app)]).exited();
    assert.equal(exit.code, 0, exit.stderr);
    const found = spans(exit.stdout);
    assert.deepEqual(found.map((s) => s.kind).sort(), ['SpanKind.CLIENT', 'SpanKind.SERVER']);
    assert.equal(found[0]!.resource.attributes['service.name'], service);
    // shutdown() resolved after the spans were written.
    assert.ok(exit.stdout.indexOf('shut down') > exit.stdout.lastIndexOf('"name"'));
  });
}

test('under the launcher as well, the SDK starts once: the launcher\'s settings stand and start() says its options are ignored', async () => {
  const exit = await startCli(['--traces_exporter', 'console', '--service_name', 'from-launcher', 'node', join(FIXTURES, 'programmatic', 'app.js')], {
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  }).exited();
  assert.equal(exit.code, 0, exit.stderr);
  const found = spans(exit.stdout);
  assert.equal(found.length, 2);
  assert.equal(found[0]!.resource.attributes['service.name'], 'from-launcher');
  assert.match(exit.stderr, /start\(\): already started .* options are ignored/);
});
