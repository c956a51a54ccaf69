// Baggage that arrives with a request goes on with the requests the app makes, every valid key kept:
// `__proto__` is a valid W3C baggage key like any other.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

test('the baggage keys __proto__ and constructor travel from an incoming request to the outgoing one', async () => {
  const app = startCli(['node', join(FIXTURES, 'http-service.js')], { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });
  try {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    // /front calls /back on the same service, which answers with the headers it received.
    const { body } = await httpGet(`http://127.0.0.1:${port}/front`, { baggage: '__proto__=polluted,constructor=c,user=alice' });
    assert.equal((JSON.parse(body) as { baggage: string }).baggage, '__proto__=polluted,constructor=c,user=alice');
  } finally {
    app.child.kill('SIGTERM');
    await app.exited();
  }
});
