// hono 4 on @hono/node-server under the real launcher: what a real OTLP receiver gets for the CommonJS
// fixture (test/fixtures/hono/app.js) and an ES module one, and that turning hono off by name leaves
// http's plain spans.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES } from '../support/run-cli.js';
import {
  CLIENT,
  INTERNAL,
  childrenOf,
  durationPoint,
  exceptionEvents,
  runInstrumented,
  runPlain,
  serverSpan,
  type Answer,
  type InstrumentedRun,
} from '../support/web-app-run.js';

const APP = ['node', join(FIXTURES, 'hono', 'app.js')];
const ESM_APP = ['node', join(FIXTURES, 'hono', 'esm-app.mjs')];

const PATHS = ['/api/users/42', '/api/items/9', '/api/items/abc', '/v2/status', '/nope', '/fail/throw', '/fail/async', '/fail/forbidden', '/outgoing'];

function handlerOf(spans: readonly FlatSpan[], server: FlatSpan): FlatSpan {
  const children = childrenOf(spans, server);
  assert.equal(children.length, 1, `${server.name}: ${children.map((s) => s.name).join(', ')}`);
  return children[0]!;
}

describe('a CommonJS hono app', () => {
  let run: InstrumentedRun;
  let plain: Map<string, Answer>;
  before(async () => {
    // One server span per path, and the one /outgoing's own call makes.
    [run, plain] = await Promise.all([runInstrumented(APP, PATHS, PATHS.length + 1), runPlain(APP, PATHS)]);
  });

  test('the server span is named by method and the route that answered, through nested sub-apps, basePath and a regular expression; the duration metric agrees', () => {
    const expected: Record<string, string> = {
      '/api/users/42': '/api/users/:id',
      '/api/items/9': '/api/items/:itemId{[0-9]+}',
      '/v2/status': '/v2/status',
      '/outgoing': '/outgoing',
      '/api/users/7': '/api/users/:id',
    };
    for (const [path, route] of Object.entries(expected)) {
      const span = serverSpan(run.spans, path);
      assert.equal(span.name, `GET ${route}`, path);
      assert.equal(span.attributes['http.route'], route, path);
      assert.equal(span.status.code, 0, path);
    }
    assert.equal(Number(durationPoint(run.durations, '/api/users/:id', 200).count), 2);
    assert.equal(Number(durationPoint(run.durations, '/v2/status', 200).count), 1);
  });

  test('each request handler is an INTERNAL span under the server span, in the hono scope; the * middleware gets none', () => {
    const server = serverSpan(run.spans, '/api/users/42');
    const handler = handlerOf(run.spans, server);
    assert.equal(handler.name, 'request handler - /api/users/:id');
    assert.equal(handler.kind, INTERNAL);
    assert.equal(handler.attributes['http.route'], '/api/users/:id');
    assert.equal(handler.scope.name, 'otel-instrument/hono');
    assert.deepEqual(childrenOf(run.spans, handler), []);
  });

  test('a path no route answers (none matches, or only the * middleware ran) is 404, named GET, without http.route on span or metric', () => {
    for (const path of ['/nope', '/api/items/abc']) {
      assert.equal(run.answers.get(path)?.status, 404);
      const span = serverSpan(run.spans, path);
      assert.equal(span.name, 'GET', path);
      assert.equal(span.attributes['http.route'], undefined, path);
      assert.equal(span.status.code, 0, path);
      assert.deepEqual(childrenOf(run.spans, span), [], path);
    }
    assert.equal(Number(durationPoint(run.durations, undefined, 404).count), 2);
  });

  test('an error thrown or rejected in a handler is recorded on its handler span and on the server span, which onError\'s 500 marks with the error\'s type', () => {
    for (const [path, type, message] of [['/fail/throw', 'RangeError', 'out of range'], ['/fail/async', 'SyntaxError', 'rejected']] as const) {
      assert.deepEqual(run.answers.get(path), { status: 500, body: JSON.stringify({ error: message, type }) });
      const server = serverSpan(run.spans, path);
      assert.equal(server.name, `GET ${path}`);
      assert.deepEqual(server.status, { code: 2, message });
      assert.equal(server.attributes['error.type'], type);
      assert.deepEqual(exceptionEvents(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
      const handler = handlerOf(run.spans, server);
      assert.deepEqual(handler.status, { code: 2, message });
      assert.equal(exceptionEvents(handler)[0]?.['exception.type'], type);
      assert.equal(durationPoint(run.durations, path, 500).attributes['error.type'], type);
    }
  });

  test('an HTTPException of 403 is an answer: no exception, no error status, on any span', () => {
    assert.equal(run.answers.get('/fail/forbidden')?.status, 403);
    const server = serverSpan(run.spans, '/fail/forbidden');
    assert.equal(server.name, 'GET /fail/forbidden');
    assert.deepEqual([server.status.code, server.attributes['error.type'], exceptionEvents(server)], [0, undefined, []]);
    const handler = handlerOf(run.spans, server);
    assert.deepEqual([handler.status.code, exceptionEvents(handler)], [0, []]);
  });

  test('an outgoing http.get from a handler is the child of its request handler span, and the call it makes continues the trace', () => {
    assert.deepEqual(run.answers.get('/outgoing'), { status: 200, body: '{"downstream":{"user":"7"}}' });
    const outer = serverSpan(run.spans, '/outgoing');
    const handler = handlerOf(run.spans, outer);
    assert.equal(handler.name, 'request handler - /outgoing');
    const client = childrenOf(run.spans, handler).find((s) => s.kind === CLIENT);
    assert.ok(client, 'client span under the request handler span');
    const inner = serverSpan(run.spans, '/api/users/7');
    assert.equal(inner.parentSpanId, client.spanId);
    assert.equal(inner.traceId, outer.traceId);
  });

  test('the app answers every request exactly as it does without the launcher', () => {
    assert.deepEqual([...run.answers], [...plain]);
    assert.doesNotMatch(run.stderr, /otel-instrument/);
  });
});

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=hono leaves http\'s spans as they are: no route, no handler span, no recorded exception', async () => {
  const paths = ['/api/users/42', '/fail/throw'];
  const run = await runInstrumented(APP, paths, paths.length, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'hono', OTEL_METRICS_EXPORTER: 'none' });
  assert.deepEqual(run.answers.get('/api/users/42'), { status: 200, body: '{"user":"42"}' });
  assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL), []);
  const ok = serverSpan(run.spans, '/api/users/42');
  assert.deepEqual([ok.name, ok.attributes['http.route']], ['GET', undefined]);
  const failed = serverSpan(run.spans, '/fail/throw');
  // http alone sees only the 500.
  assert.deepEqual([failed.name, failed.attributes['error.type'], exceptionEvents(failed)], ['GET', '500', []]);
});

test('an ES module hono app gets the same route-named server span and handler span, once per request', async () => {
  const run = await runInstrumented(ESM_APP, ['/api/users/42'], 1, { OTEL_METRICS_EXPORTER: 'none' });
  assert.deepEqual(run.answers.get('/api/users/42'), { status: 200, body: '{"user":"42"}' });
  const server = serverSpan(run.spans, '/api/users/42');
  assert.equal(server.name, 'GET /api/users/:id');
  assert.equal(server.attributes['http.route'], '/api/users/:id');
  assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL).map((s) => [s.name, s.parentSpanId]), [['request handler - /api/users/:id', server.spanId]]);
});
