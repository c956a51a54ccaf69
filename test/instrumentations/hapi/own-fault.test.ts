// A fault of ours inside the hapi instrumentation (here: its tracer throws) never reaches the app:
// every request answers as unpatched, and hapi's instrumentation turns itself off while http goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guard } from '../../../instrumentations/hapi/guard.js';
import { instrumentWithFaultyTracer, waitForSpans } from '../../support/in-process-instrumentation.js';

const spans = instrumentWithFaultyTracer(['http', 'hapi'], 'hapi');

test('a hapi tracer that throws: the app answers as always, hapi turns itself off, http keeps its spans', async () => {
  const Hapi = require('@hapi/hapi') as {
    server(o: object): { route(r: object): void; start(): Promise<void>; stop(): Promise<void>; info: { port: number } };
  };
  const server = Hapi.server({ port: 0, host: '127.0.0.1' });
  server.route({ method: 'GET', path: '/users/{id}', handler: (request: { params: { id: string } }) => ({ user: request.params.id }) });
  await server.start();
  try {
    for (const id of ['1', '2']) {
      const answer = await fetch(`http://127.0.0.1:${server.info.port}/users/${id}`);
      assert.deepEqual([answer.status, await answer.json()], [200, { user: id }]);
    }
    assert.equal(guard.enabled, false);
    await waitForSpans(spans, 2);
    // The first request was routed before the fault; the second went through hapi untouched.
    assert.deepEqual(spans.map((s) => s.name), ['GET /users/{id}', 'GET']);
  } finally {
    await server.stop();
  }
});
