import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startGrpcReceiver, startHttpReceiver } from '../../support/otlp-receiver.js';

// dist/test/export/otlp -> dist/src/export/otlp/otlp-exporter.js
const EXPORTER = join(__dirname, '..', '..', '..', 'src', 'export', 'otlp', 'otlp-exporter.js');

/** Runs a child that exports one span and never calls shutdown; resolves with its output once it exits. */
function runChild(protocol: string, url: string, timeoutMs = 8000): Promise<{ code: number | null; out: string; ms: number }> {
  const script = `
    const { createOtlpTraceExporter } = require(${JSON.stringify(EXPORTER)});
    const exporter = createOtlpTraceExporter({ protocol: ${JSON.stringify(protocol)}, url: ${JSON.stringify(url)}, headers: {},
      compression: 'none', timeoutMs: 5000, insecure: true, certificateFile: undefined, clientKeyFile: undefined, clientCertificateFile: undefined });
    const resource = { attributes: { 'service.name': 'child' } };
    exporter.export([{ name: 'from-child', kind: 0, traceId: '5b8efff798038103d269b633813fc60c', spanId: '0000000000000001',
      traceFlags: 1, traceState: undefined, parentSpanId: undefined, parentIsRemote: false, startTime: [1700000000, 0],
      endTime: [1700000000, 1], attributes: {}, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [],
      droppedLinksCount: 0, status: { code: 0 }, scope: { name: 's' }, resource }], (r) => process.stdout.write(r.ok ? 'ok' : 'failed'));
  `;
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, OTEL_LOG_LEVEL: 'none' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child still running after ${timeoutMs} ms (output: ${out})`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - started });
    });
  });
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: an in-flight export finishes before exit, and the idle connection does not hold the process`, async () => {
    const receiver = protocol === 'grpc' ? await startGrpcReceiver() : await startHttpReceiver();
    try {
      receiver.respond({ delayMs: 300 }); // the child must wait for this answer, then exit on its own
      const url = protocol === 'grpc' ? receiver.url : `${receiver.url}/v1/traces`;
      const { code, out, ms } = await runChild(protocol, url);
      assert.equal(out, 'ok');
      assert.equal(code, 0);
      assert.ok(ms < 4000, `child exited after ${ms} ms`);
      assert.equal(receiver.spans()[0].name, 'from-child');
    } finally {
      await receiver.close();
    }
  });
}
