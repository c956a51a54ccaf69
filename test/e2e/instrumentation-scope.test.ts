// Every span, metric and log record names the instrumentation that made it: its scope is
// otel-instrument/<instrumentation> with our package version, as a real receiver decodes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, ROOT, startCli } from '../support/run-cli.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('spans, metrics and log records carry the scope of the instrumentation that made them, with our version', async () => {
  const receiver = await GrpcReceiver.start();
  const app = startCli(['node', join(FIXTURES, 'logging', 'express-shop.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  try {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/api/orders/42`);
    app.child.kill('SIGTERM');
    await app.exited();

    const spans = await receiver.waitForSpans(2);
    const server = spans.find((s) => s.kind === 2)!;
    assert.deepEqual(server.scope, { name: 'otel-instrument/http', version: VERSION });
    const layers = spans.filter((s) => s.kind === 1 && s.attributes['express.type'] !== undefined);
    assert.ok(layers.length > 0, 'express layer spans');
    for (const layer of layers) assert.deepEqual(layer.scope, { name: 'otel-instrument/express', version: VERSION });

    const metrics = await receiver.waitForMetrics((all) => all.some((m) => m.name === 'http.server.request.duration'));
    assert.deepEqual(metrics.find((m) => m.name === 'http.server.request.duration')!.scope, { name: 'otel-instrument/http', version: VERSION });

    const logs = await receiver.waitForLogs((all) => all.some((l) => l.body === 'order found') && all.some((l) => l.body === 'looking up order 42'));
    assert.deepEqual(logs.find((l) => l.body === 'order found')!.scope, { name: 'otel-instrument/pino', version: VERSION });
    assert.deepEqual(logs.find((l) => l.body === 'looking up order 42')!.scope, { name: 'otel-instrument/console', version: VERSION });
  } finally {
    await receiver.close();
  }
});
