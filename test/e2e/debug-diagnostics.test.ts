// OTEL_LOG_LEVEL=debug answers "why don't I see my spans?" without a debugger: what was patched,
// what was exported, what was dropped and why, and what the launcher did with the app's last data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { freePort } from '../support/free-port.js';
import { FIXTURES, httpGet, runCli, startCli, waitFor } from '../support/run-cli.js';

test('debug output names the patches, the exports and the effective signals', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const app = startCli(['node', join(FIXTURES, 'http-service.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOG_LEVEL: 'debug', OTEL_BSP_SCHEDULE_DELAY: '10' });
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    await httpGet(`http://127.0.0.1:${port}/hello`);
    await receiver.waitForSpans(1);
    // The export's own report comes when the collector's answer is processed.
    await waitFor(() => /exported 1 spans/.test(app.stderr()), 'the export report');
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    assert.match(exit.stderr, /started in pid \d+ .*traces=otlp, metrics=otlp, logs=otlp/);
    assert.match(exit.stderr, /instrumentation http patched http@\d+/);
    assert.match(exit.stderr, /exported 1 spans/);
    assert.match(exit.stderr, /otel-instrument: debug: dropped nothing during this run\n/);
    // Nothing of ours leaks onto stdout.
    assert.doesNotMatch(exit.stdout, /otel-instrument/);
  } finally {
    await receiver.close();
  }
});

test('with the collector down, debug output says what was dropped at exit and why', async () => {
  const port = await freePort(); // nothing listens there
  const exit = await runCli(['node', join(FIXTURES, 'exit-now.js')], { SPANS: '3', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_LOG_LEVEL: 'debug' });
  assert.equal(exit.code, 3);
  assert.match(exit.stderr, /handed pending traces, logs to the launcher at exit/);
  assert.match(exit.stderr, /ECONNREFUSED/);
  assert.match(exit.stderr, /launcher: could not deliver all of the traces, logs the app handed over at exit \(\d+ ms\); they are dropped/);
});
