// Tried as a user would: an express app that logs with console and pino.
// At the receiver both records carry the trace and span ids of the request's server span, and
// pino's own stdout line carries them too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli } from '../support/run-cli.js';

test('console and pino records of an express request carry the server span\'s trace id, at the receiver and in the app\'s own line', async () => {
  const receiver = await GrpcReceiver.start();
  const app = startCli(['--service_name', 'shop', 'node', join(FIXTURES, 'logging', 'express-shop.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  try {
    const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
    const { body } = await httpGet(`http://127.0.0.1:${port}/api/orders/42`);
    assert.deepEqual(JSON.parse(body), { id: 42, status: 'shipped' });
    app.child.kill('SIGTERM');
    await app.exited();

    const server = (await receiver.waitForSpans(1)).find((s) => s.kind === 2 && s.name === 'GET /api/orders/:id')!;
    assert.ok(server, 'the route-named server span');
    const logs = await receiver.waitForLogs((all) => all.some((l) => l.body === 'order found') && all.some((l) => l.body === 'looking up order 42'));
    const fromConsole = logs.find((l) => l.body === 'looking up order 42')!;
    const fromPino = logs.find((l) => l.body === 'order found')!;
    for (const record of [fromConsole, fromPino]) {
      assert.equal(record.traceId, server.traceId);
      assert.equal(record.resource['service.name'], 'shop');
    }
    assert.equal(fromConsole.scope.name, 'otel-instrument/console');
    assert.equal(fromPino.scope.name, 'otel-instrument/pino');
    assert.equal(fromPino.severityNumber, 9);
    assert.equal(fromPino.attributes.orderId, 42);
    // For the record (issue notes quote it).
    console.log(`pino record: ${JSON.stringify(fromPino)}`);

    const pinoLine = JSON.parse(app.stdout().split('\n').find((l) => l.includes('"order found"'))!);
    assert.equal(pinoLine.trace_id, server.traceId);
    assert.match(pinoLine.span_id, /^[0-9a-f]{16}$/);
    assert.equal(pinoLine.trace_flags, '01');
  } finally {
    await receiver.close();
  }
});
