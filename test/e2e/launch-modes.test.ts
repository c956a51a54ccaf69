// The other ways in: `npm start` under the launcher, and the preload without the launcher.
// Plus the console exporter's JSON lines, which need no collector.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, httpGet, runCli, startCli, startProcess } from '../support/run-cli.js';

test('otel-instrument npm start instruments the app that npm starts and not npm itself', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(['npm', 'start', '--silent'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOG_LEVEL: 'debug' }, join(FIXTURES, 'npm-app'));
    const [, port, pid] = await app.waitForLine(/listening (\d+) pid (\d+)/);
    await httpGet(`http://127.0.0.1:${port}/hello`);
    // npm passes SIGTERM to its `sh -c`, which orphans the app (plain npm does the same), so
    // signal the app itself, as a process manager would.
    process.kill(Number(pid), 'SIGTERM');
    const exit = await app.exited();
    assert.notEqual(exit.code, 0);
    const [span] = await receiver.waitForSpans(1);
    assert.match(String(span!.resource['process.command']), /http-service\.js$/);
    assert.match(app.stderr(), /dormant in launcher process .*npm/);
    assert.equal(new Set(receiver.spans().map((s) => s.resource['process.pid'])).size, 1);
  } finally {
    await receiver.close();
  }
});

test('node --require otel-instrument/register works without the launcher', async () => {
  const receiver = await HttpReceiver.start();
  try {
    const exit = await startProcess(process.execPath, ['--require', 'otel-instrument/register', join(FIXTURES, 'one-request.js')], {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'no-launcher',
    }, ROOT).exited();
    assert.equal(exit.code, 0, exit.stderr);
    const spans = await receiver.waitForSpans(2);
    assert.equal(spans[0]!.resource['service.name'], 'no-launcher');
  } finally {
    await receiver.close();
  }
});

test('node --import otel-instrument/register works without the launcher', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await startProcess(process.execPath, ['--import', 'otel-instrument/register', join(FIXTURES, 'one-request.js')], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    }, ROOT).exited();
    assert.equal(exit.code, 0, exit.stderr);
    const spans = await receiver.waitForSpans(2);
    assert.equal(spans[0]!.resource['service.name'], 'unknown_service:node');
  } finally {
    await receiver.close();
  }
});

test('--traces_exporter console prints one trace of four spans as JSON lines on stdout with no collector', async () => {
  const exit = await runCli(['--traces_exporter', 'console', '--service_name', 'demo', 'node', join(FIXTURES, 'demo.js')]);
  assert.equal(exit.code, 0, exit.stderr);
  const spans = exit.stdout.trim().split('\n').map((line) => JSON.parse(line) as {
    name: string; kind: string; parent_id: string | null; context: { trace_id: string; span_id: string };
    attributes: Record<string, unknown>; resource: { attributes: Record<string, unknown> };
  });
  const checkout = spans.find((s) => s.kind === 'SpanKind.SERVER' && s.attributes['url.path'] === '/checkout')!;
  const trace = spans.filter((s) => s.context.trace_id === checkout.context.trace_id);
  assert.equal(trace.length, 4);
  const inventoryClient = trace.find((s) => s.kind === 'SpanKind.CLIENT' && s.parent_id === checkout.context.span_id)!;
  const inventory = trace.find((s) => s.attributes['url.path'] === '/inventory')!;
  assert.equal(inventory.parent_id, inventoryClient.context.span_id);
  assert.match(checkout.context.trace_id, /^0x[0-9a-f]{32}$/);
  assert.equal(checkout.resource.attributes['service.name'], 'demo');
  assert.match(exit.stderr, /GET \/checkout -> 200 checked out/);
});

// Node 22+ runs `-e`/`-p` code through its own require of builtins with no parent module, which our
// in-thread import hooks must leave a builtin (it once died with ENOENT 'module' before any app code).
test('otel-instrument node -e, -p and --input-type=module -e run the code and trace it, as plain node does', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'eval' };
    const commonJs = await runCli(['node', '-e', 'require("node:http").get("http://127.0.0.1:9/").on("error", () => console.log("cjs eval ran"))'], env);
    assert.equal(commonJs.code, 0, commonJs.stderr);
    assert.equal(commonJs.stdout, 'cjs eval ran\n');
    const printed = await runCli(['node', '-p', 'require("node:module").isBuiltin("fs") + 1'], env);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, '2\n');
    const esm = await runCli(['node', '--input-type=module', '-e', 'import http from "node:http"; http.get("http://127.0.0.1:9/").on("error", () => console.log("esm eval ran"))'], env);
    assert.equal(esm.code, 0, esm.stderr);
    assert.equal(esm.stdout, 'esm eval ran\n');
    const spans = await receiver.waitForSpans(2);
    assert.deepEqual(spans.map((span) => span.name).sort(), ['GET', 'GET']);
  } finally {
    await receiver.close();
  }
});
