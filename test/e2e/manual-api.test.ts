// An app with its own @opentelemetry/api copy (newer or older than ours) gets its manual
// spans inside our auto spans and its baggage propagated.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, httpGet, startCli, waitFor, type Running } from '../support/run-cli.js';

let receiver: GrpcReceiver;
const dirs: string[] = [];

before(async () => {
  receiver = await GrpcReceiver.start();
});
after(async () => {
  await receiver.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An app folder with its own node_modules/@opentelemetry/api copied from an aliased version. */
function appWithApi(alias: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-instrument-api-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules', '@opentelemetry'), { recursive: true });
  cpSync(join(ROOT, 'node_modules', alias), join(dir, 'node_modules', '@opentelemetry', 'api'), { recursive: true });
  copyFileSync(join(FIXTURES, 'manual-api-app.js'), join(dir, 'app.js'));
  copyFileSync(join(FIXTURES, 'http-service.js'), join(dir, 'back.js'));
  return dir;
}

for (const [alias, version] of [['api-1.10', '1.10.0'], ['api-1.8', '1.8.0']] as const) {
  test(`manual spans and baggage from an app on @opentelemetry/api ${version} join the auto-instrumented trace`, async () => {
    const dir = appWithApi(alias);
    const service = `manual-${version}`;
    const back = startCli(['--service_name', `${service}-back`, 'node', join(dir, 'back.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, dir);
    let app: Running | undefined;
    let echoed: { baggage: string };
    try {
      const backPort = Number((await back.waitForLine(/listening (\d+)/))[1]);
      app = startCli(['--service_name', service, 'node', join(dir, 'app.js')], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        DOWNSTREAM_URL: `http://127.0.0.1:${backPort}`,
      }, dir);
      const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
      const answer = await httpGet(`http://127.0.0.1:${port}/`, { baggage: 'user=alice' });
      echoed = JSON.parse(answer.body) as { baggage: string };
    } finally {
      app?.child.kill('SIGTERM');
      back.child.kill('SIGTERM');
      await Promise.all([app?.exited(), back.exited()]);
    }

    // Baggage from the request, plus what the app added through its own API copy.
    assert.equal(echoed.baggage, 'user=alice,added=by-app');

    const spans = await waitFor(() => {
      const mine = receiver.spans().filter((s) => s.resource['service.name'] === service);
      return mine.length >= 3 && mine;
    }, 'three spans of the app');
    const server = spans.find((s) => s.kind === 2);
    const manual = spans.find((s) => s.name === 'manual work');
    const client = spans.find((s) => s.kind === 3);
    assert.ok(server && manual && client, JSON.stringify(spans.map((s) => s.name)));
    assert.equal(manual.attributes['app.api.version'], version);
    assert.equal(manual.attributes['app.baggage.user'], 'alice');
    assert.equal(manual.scope.name, 'manual-app');
    assert.equal(manual.scope.version, '1.0.0');
    assert.equal(manual.traceId, server.traceId);
    assert.equal(manual.parentSpanId, server.spanId);
    assert.equal(client.parentSpanId, manual.spanId);
  });
}
