// Lossless exit: under the launcher the app hands what it could not send to the
// launcher through an inherited socket at exit, and the launcher sends it after the app is gone.
// Without the launcher, the spawnSync sender is the fallback.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT, runCli, startProcess } from '../support/run-cli.js';

const APP = join(FIXTURES, 'exit-now.js');
const SPANS = 500;

async function expectEverything(receiver: GrpcReceiver | HttpReceiver): Promise<void> {
  const spans = await receiver.waitForSpans(SPANS);
  const logs = await receiver.waitForLogs(SPANS);
  assert.equal(spans.length, SPANS, 'every span once');
  assert.equal(new Set(spans.map((s) => s.name)).size, SPANS);
  const lines = logs.filter((l) => String(l.body).startsWith('line '));
  assert.equal(lines.length, SPANS, 'every console line once');
  // Each line carries the span it was printed in.
  const byName = new Map(spans.map((s) => [s.name, s.spanId]));
  for (const line of lines) assert.equal(line.spanId, byName.get(`work ${String(line.body).slice(5)}`));
}

test('process.exit(3) right after ending spans and logging: all of it arrives through the launcher, exit code 3', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['node', APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOG_LEVEL: 'debug' });
    assert.equal(exit.code, 3);
    assert.match(exit.stderr, /handed pending traces, logs to the launcher at exit/);
    assert.doesNotMatch(exit.stderr, /sent pending .* at exit in/, 'no sender process was needed');
    await expectEverything(receiver);
  } finally {
    await receiver.close();
  }
});

test('a throw at top level: all spans and lines and the crash report arrive over http/protobuf, exit code 1', async () => {
  const receiver = await HttpReceiver.start();
  try {
    const exit = await runCli(['node', APP], { MODE: 'throw', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /Error: thrown at top level/);
    await expectEverything(receiver);
    await receiver.waitForLogs((logs) => logs.some((l) => l.severityText === 'FATAL' && l.attributes['exception.message'] === 'thrown at top level'));
  } finally {
    await receiver.close();
  }
});

test('without the launcher (node --require) the same exit still delivers everything, through the sender process', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await startProcess(process.execPath, ['--require', join(ROOT, 'dist', 'src', 'bootstrap', 'register.js'), APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOG_LEVEL: 'debug',
    }).exited();
    assert.equal(exit.code, 3);
    assert.match(exit.stderr, /sent pending traces, logs at exit in \d+ ms/);
    await expectEverything(receiver);
  } finally {
    await receiver.close();
  }
});
