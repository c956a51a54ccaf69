// Odd uses of http (a URL object, no callback, raw header arrays, a response
// ended twice, a socket destroyed by the server, a request aborted mid-flight, a refused
// connection, an invalid URL or method) behave exactly as unpatched: same return values, events,
// errors and order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, runCli, startProcess } from '../support/run-cli.js';

test('odd and wrong http calls: what the app observes is the same with and without instrumentation', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const script = join(FIXTURES, 'odd-calls.js');
    const plain = await startProcess(process.execPath, [script]).exited();
    const instrumented = await runCli(['node', script], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(instrumented.code, 0, instrumented.stderr);
    assert.equal(instrumented.stdout, plain.stdout);
    assert.equal(instrumented.stderr, plain.stderr);
    assert.match(plain.stdout, /destroy ECONNRESET\nabort ECONNRESET\nabort close\nrefused ECONNREFUSED connect\nbad-url threw ERR_INVALID_URL/);
    // And it was instrumented: the refused and aborted requests are error spans.
    const spans = await receiver.waitForSpans(10);
    assert.ok(spans.some((s) => s.kind === 3 && s.attributes['error.type'] === 'ECONNREFUSED'), JSON.stringify(spans.map((s) => s.attributes['error.type'])));
  } finally {
    await receiver.close();
  }
});
