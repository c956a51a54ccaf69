// A fault of our own never reaches the app: a tracer that throws when the Nest span starts turns the
// nestjs instrumentation off (its guard), and every request is answered as before, the one it
// happened on included. express and http go on as they were.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { guard } from '../../../instrumentations/nestjs/guard.js';
import { ask, nestSpansOf, platformSpansOf, serverSpanOf, startUsersApp } from './users-app-suite.js';

const recorded = instrumentInProcess(['http', 'express', 'nestjs']);
require('reflect-metadata');

let running: Awaited<ReturnType<typeof startUsersApp>>;
before(async () => {
  running = await startUsersApp(require, 'express');
});
after(async () => {
  await running.app.close();
});

test('a tracer that throws in our route wrapper turns the instrumentation off; the request is answered as before', async () => {
  const tracer = recorded.hooks.telemetryFor('nestjs').tracer;
  const original = tracer.startSpan;
  assert.equal((await ask(recorded, running.port, '/api/v1/users/42', 2)).status, 200);
  assert.equal(nestSpansOf(recorded.spans).length, 1);
  assert.deepEqual(platformSpansOf(recorded.spans, 'express'), []);
  tracer.startSpan = () => {
    throw new Error('injected fault');
  };
  try {
    // The request it happened on: answered, its server span named, no handler span (express left it to Nest).
    const answer = await ask(recorded, running.port, '/api/v1/users/42', 1);
    assert.equal(answer.body, '{"user":"42","tagged":true}');
    assert.equal(guard.enabled, false);
    assert.deepEqual(nestSpansOf(recorded.spans), []);
    assert.equal(serverSpanOf(recorded.spans, '/api/v1/users/42').name, 'GET /api/v1/users/:id');
    // With Nest off, express's own handler span is back for the next requests.
    await ask(recorded, running.port, '/api/v1/users/42', 2);
    assert.deepEqual(nestSpansOf(recorded.spans), []);
    assert.deepEqual(platformSpansOf(recorded.spans, 'express').map((s) => s.name), ['request handler - /api/v1/users/:id']);
  } finally {
    tracer.startSpan = original;
  }
  // Off for good: no span, and a handler's error is no longer recorded by us.
  const failed = await ask(recorded, running.port, '/api/v1/users/fail/throw', 2);
  assert.equal(failed.status, 500);
  assert.deepEqual(nestSpansOf(recorded.spans), []);
  assert.deepEqual(serverSpanOf(recorded.spans, '/api/v1/users/fail/throw').events, []);
});
