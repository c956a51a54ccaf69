// hapi 21 under the real launcher: what a real OTLP receiver gets for the CommonJS fixture
// (test/fixtures/hapi/app.js, with @hapi/boom) and an ES module one, and that turning hapi off by name
// leaves http's plain spans.

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

const APP = ['node', join(FIXTURES, 'hapi', 'app.js')];
const ESM_APP = ['node', join(FIXTURES, 'hapi', 'esm-app.mjs')];

const PATHS = ['/users/42', '/api/items/9', '/api/v1/things/3', '/nope', '/fail/throw', '/fail/boom', '/fail/missing/3', '/outgoing'];

function handlerOf(spans: readonly FlatSpan[], server: FlatSpan): FlatSpan {
  const children = childrenOf(spans, server);
  assert.equal(children.length, 1, `${server.name}: ${children.map((s) => s.name).join(', ')}`);
  return children[0]!;
}

describe('a CommonJS hapi app', () => {
  let run: InstrumentedRun;
  let plain: Map<string, Answer>;
  before(async () => {
    // One server span per path, and the one /outgoing's own call makes.
    [run, plain] = await Promise.all([runInstrumented(APP, PATHS, PATHS.length + 1), runPlain(APP, PATHS)]);
  });

  test('the server span is named by method and the route as declared, with the prefixes of nested plugins; the duration metric agrees', () => {
    const expected: Record<string, string> = {
      '/users/42': '/users/{id}',
      '/api/items/9': '/api/items/{itemId}',
      '/api/v1/things/3': '/api/v1/things/{thingId}',
      '/outgoing': '/outgoing',
      '/users/7': '/users/{id}',
    };
    for (const [path, route] of Object.entries(expected)) {
      const span = serverSpan(run.spans, path);
      assert.equal(span.name, `GET ${route}`, path);
      assert.equal(span.attributes['http.route'], route, path);
      assert.equal(span.status.code, 0, path);
    }
    assert.equal(Number(durationPoint(run.durations, '/users/{id}', 200).count), 2);
    assert.equal(Number(durationPoint(run.durations, '/api/v1/things/{thingId}', 200).count), 1);
  });

  test('each route handler is an INTERNAL span under the server span, in the hapi scope, named after its route (and plugin)', () => {
    const root = handlerOf(run.spans, serverSpan(run.spans, '/users/42'));
    assert.equal(root.name, 'route - /users/{id}');
    assert.equal(root.kind, INTERNAL);
    assert.deepEqual(root.attributes, { 'http.route': '/users/{id}', 'hapi.type': 'router' });
    assert.equal(root.scope.name, 'otel-instrument/hapi');
    const nested = handlerOf(run.spans, serverSpan(run.spans, '/api/v1/things/3'));
    assert.equal(nested.name, 'things: route - /api/v1/things/{thingId}');
    assert.deepEqual(nested.attributes, { 'http.route': '/api/v1/things/{thingId}', 'hapi.type': 'plugin', 'hapi.plugin.name': 'things' });
  });

  test('a path no route matches is answered 404 by hapi, named GET, without http.route on span or metric, and without a handler span', () => {
    assert.equal(run.answers.get('/nope')?.status, 404);
    const span = serverSpan(run.spans, '/nope');
    assert.deepEqual([span.name, span.attributes['http.route'], span.status.code], ['GET', undefined, 0]);
    assert.deepEqual(childrenOf(run.spans, span), []);
    assert.equal(Number(durationPoint(run.durations, undefined, 404).count), 1);
  });

  test('an error thrown in a handler, and a Boom 5xx it rejects with, are recorded on the handler span and the server span with the error\'s type', () => {
    for (const [path, status, type, message] of [['/fail/throw', 500, 'RangeError', 'out of range'], ['/fail/boom', 502, 'Error', 'upstream down']] as const) {
      assert.equal(run.answers.get(path)?.status, status);
      const server = serverSpan(run.spans, path);
      assert.equal(server.name, `GET ${path}`);
      assert.deepEqual(server.status, { code: 2, message });
      assert.equal(server.attributes['error.type'], type);
      assert.deepEqual(exceptionEvents(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
      const handler = handlerOf(run.spans, server);
      assert.deepEqual(handler.status, { code: 2, message });
      assert.equal(exceptionEvents(handler)[0]?.['exception.type'], type);
      assert.equal(durationPoint(run.durations, path, status).attributes['error.type'], type);
    }
  });

  test('a Boom 404 thrown by a handler is hapi\'s answer: the route stays, and no span records an error', () => {
    assert.deepEqual(run.answers.get('/fail/missing/3'), { status: 404, body: '{"statusCode":404,"error":"Not Found","message":"no item 3"}' });
    const server = serverSpan(run.spans, '/fail/missing/3');
    assert.equal(server.name, 'GET /fail/missing/{id}');
    assert.deepEqual([server.status.code, server.attributes['error.type'], exceptionEvents(server)], [0, undefined, []]);
    const handler = handlerOf(run.spans, server);
    assert.deepEqual([handler.status.code, exceptionEvents(handler)], [0, []]);
    assert.equal(durationPoint(run.durations, '/fail/missing/{id}', 404).attributes['error.type'], undefined);
  });

  test('an outgoing http.get from a handler is the child of its route span, and the call it makes continues the trace', () => {
    assert.deepEqual(run.answers.get('/outgoing'), { status: 200, body: '{"downstream":{"user":"7"}}' });
    const outer = serverSpan(run.spans, '/outgoing');
    const handler = handlerOf(run.spans, outer);
    assert.equal(handler.name, 'route - /outgoing');
    const client = childrenOf(run.spans, handler).find((s) => s.kind === CLIENT);
    assert.ok(client, 'client span under the route span');
    const inner = serverSpan(run.spans, '/users/7');
    assert.equal(inner.parentSpanId, client.spanId);
    assert.equal(inner.traceId, outer.traceId);
  });

  test('the app answers every request exactly as it does without the launcher', () => {
    assert.deepEqual([...run.answers], [...plain]);
    assert.doesNotMatch(run.stderr, /otel-instrument/);
  });
});

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=hapi leaves http\'s spans as they are: no route, no handler span, no recorded exception', async () => {
  const paths = ['/users/42', '/fail/throw'];
  const run = await runInstrumented(APP, paths, paths.length, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'hapi', OTEL_METRICS_EXPORTER: 'none' });
  assert.deepEqual(run.answers.get('/users/42'), { status: 200, body: '{"user":"42"}' });
  assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL), []);
  const ok = serverSpan(run.spans, '/users/42');
  assert.deepEqual([ok.name, ok.attributes['http.route']], ['GET', undefined]);
  const failed = serverSpan(run.spans, '/fail/throw');
  // http alone sees only the 500.
  assert.deepEqual([failed.name, failed.attributes['error.type'], exceptionEvents(failed)], ['GET', '500', []]);
});

test('an ES module hapi app gets the same route-named server span and handler span, once per request', async () => {
  const run = await runInstrumented(ESM_APP, ['/api/users/42'], 1, { OTEL_METRICS_EXPORTER: 'none' });
  assert.deepEqual(run.answers.get('/api/users/42'), { status: 200, body: '{"user":"42"}' });
  const server = serverSpan(run.spans, '/api/users/42');
  assert.equal(server.name, 'GET /api/users/{id}');
  assert.equal(server.attributes['http.route'], '/api/users/{id}');
  assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL).map((s) => [s.name, s.parentSpanId]), [['users: route - /api/users/{id}', server.spanId]]);
});
