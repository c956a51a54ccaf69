// A fault of ours inside the hono instrumentation (here: its tracer throws) never reaches the app:
// every request answers as unpatched, and hono's instrumentation turns itself off while http goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { guard } from '../../../instrumentations/hono/route-handler.js';
import { instrumentWithFaultyTracer, waitForSpans } from '../../support/in-process-instrumentation.js';

const spans = instrumentWithFaultyTracer(['http', 'hono'], 'hono');

test('a hono tracer that throws: the app answers as always, hono turns itself off, http keeps its spans', async () => {
  const { Hono } = require('hono') as { Hono: new () => { get(path: string, h: (c: { json(v: unknown): Response; req: { param(n: string): string } }) => Response): void; fetch: unknown } };
  const { serve } = require('@hono/node-server') as { serve(o: object, cb: () => void): Server };
  const app = new Hono();
  app.get('/users/:id', (c) => c.json({ user: c.req.param('id') }));
  let server: Server | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
  });
  try {
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    for (const id of ['1', '2']) {
      const answer = await fetch(`${base}/users/${id}`);
      assert.deepEqual([answer.status, await answer.json()], [200, { user: id }]);
    }
    assert.equal(guard.enabled, false);
    await waitForSpans(spans, 2);
    // The first request was routed before the fault; the second went through hono untouched.
    assert.deepEqual(spans.map((s) => s.name), ['GET /users/:id', 'GET']);
  } finally {
    server!.close();
  }
});
