// NestJS 12 under the real launcher, on its express and fastify platforms (the fixture's argument): what a real
// OTLP receiver gets for the CommonJS fixture (test/fixtures/nestjs/app.js, which loads Nest 12 with
// require(esm)) and for an ES module one, and that turning nestjs off by name leaves the platform's spans.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES } from '../support/run-cli.js';
import {
  CLIENT,
  INTERNAL,
  SERVER,
  childrenOf,
  durationPoint,
  exceptionEvents,
  runInstrumented,
  runPlain,
  serverSpan,
  type Answer,
  type InstrumentedRun,
} from '../support/web-app-run.js';

const APP = join(FIXTURES, 'nestjs', 'app.js');
const ESM_APP = join(FIXTURES, 'nestjs', 'esm-app.mjs');

const PATHS = [
  '/api/v1/users/42',
  '/api/v1/users/7/profile',
  '/api/v1/users/missing',
  '/api/v1/users/7/items/abc',
  '/api/v1/users/fail/throw',
  '/api/v1/users/fail/http-500',
  '/api/admin/secret?token=yes',
  '/api/admin/secret',
  '/api/health',
];

function nestSpans(spans: readonly FlatSpan[]): FlatSpan[] {
  return spans.filter((s) => s.scope.name === 'otel-instrument/nestjs');
}

/** The server span of the guarded route, told apart by its query. */
function secretSpan(spans: readonly FlatSpan[], query: string | undefined): FlatSpan {
  const found = spans.filter((s) => s.kind === SERVER && s.attributes['url.path'] === '/api/admin/secret' && s.attributes['url.query'] === query);
  assert.equal(found.length, 1);
  return found[0]!;
}

function traceOf(spans: readonly FlatSpan[], span: FlatSpan): FlatSpan[] {
  return spans.filter((s) => s.traceId === span.traceId);
}

/**
 * server span -> the Nest span, its only child: the platform (express, fastify) adds no handler span
 * of its own for a route Nest declared. Returns the Nest span.
 */
function nestSpanUnder(spans: readonly FlatSpan[], server: FlatSpan): FlatSpan {
  const children = childrenOf(spans, server);
  assert.deepEqual(
    children.map((s) => [s.kind, s.scope.name]),
    [[INTERNAL, 'otel-instrument/nestjs']],
    `${server.name}: ${children.map((s) => s.name).join(', ')}`,
  );
  return children[0]!;
}

for (const platform of ['express', 'fastify'] as const) {
  describe(`a CommonJS NestJS app on the ${platform} platform`, () => {
    let run: InstrumentedRun;
    let plain: Map<string, Answer>;
    before(async () => {
      const command = ['node', APP, platform];
      // One server span per path, and the one /profile's own call makes.
      [run, plain] = await Promise.all([runInstrumented(command, PATHS, PATHS.length + 1), runPlain(command, PATHS)]);
    });

    test('server spans are named by the Nest route, global prefix and URI version included; the duration metric has the same http.route', () => {
      const expected: Record<string, string> = {
        '/api/v1/users/42': '/api/v1/users/:id',
        '/api/v1/users/7': '/api/v1/users/:id',
        '/api/v1/users/7/profile': '/api/v1/users/:id/profile',
        '/api/health': '/api/health',
      };
      for (const [path, route] of Object.entries(expected)) {
        const span = serverSpan(run.spans, path);
        assert.equal(span.name, `GET ${route}`, path);
        assert.equal(span.attributes['http.route'], route, path);
        assert.equal(span.status.code, 0, path);
      }
      assert.equal(secretSpan(run.spans, 'token=yes').name, 'GET /api/admin/secret');
      assert.equal(Number(durationPoint(run.durations, '/api/v1/users/:id', 200).count), 2);
      assert.equal(Number(durationPoint(run.durations, '/api/health', 200).count), 1);
      assert.equal(Number(durationPoint(run.durations, '/api/v1/users/:id', 404).count), 1);
    });

    test('the route runs in an INTERNAL span UsersController.findOne, the one handler span (the platform adds none); interceptor, pipe and guard add none', () => {
      const server = serverSpan(run.spans, '/api/v1/users/42');
      const nest = nestSpanUnder(run.spans, server);
      assert.equal(nest.name, 'UsersController.findOne');
      assert.equal(nest.attributes['nestjs.type'], 'request_context');
      assert.equal(nest.attributes['nestjs.controller'], 'UsersController');
      assert.equal(nest.attributes['nestjs.callback'], 'findOne');
      assert.match(String(nest.attributes['nestjs.version']), /^12\./);
      assert.equal(nest.attributes['code.function.name'], 'UsersController.findOne');
      assert.equal(traceOf(run.spans, server).length, 2);
      // The guarded route, let through and refused: the guard runs inside the Nest span, with none of its own.
      for (const query of ['token=yes', undefined]) {
        const secret = secretSpan(run.spans, query);
        assert.equal(nestSpanUnder(run.spans, secret).name, 'AdminController.secret');
        assert.equal(traceOf(run.spans, secret).length, 2);
      }
      // The pipe's 400.
      const items = serverSpan(run.spans, '/api/v1/users/7/items/abc');
      assert.equal(nestSpanUnder(run.spans, items).name, 'UsersController.items');
      assert.equal(traceOf(run.spans, items).length, 2);
    });

    test('an outgoing http.get from the controller method is the child of its Nest span, and the call it makes continues the trace', () => {
      assert.deepEqual(run.answers.get('/api/v1/users/7/profile'), { status: 200, body: '{"profile":{"user":"7","tagged":true}}' });
      const outer = serverSpan(run.spans, '/api/v1/users/7/profile');
      const nest = nestSpanUnder(run.spans, outer);
      assert.equal(nest.name, 'UsersController.profile');
      const clients = childrenOf(run.spans, nest).filter((s) => s.kind === CLIENT);
      assert.equal(clients.length, 1);
      const inner = serverSpan(run.spans, '/api/v1/users/7');
      assert.equal(inner.parentSpanId, clients[0]!.spanId);
      assert.equal(inner.traceId, outer.traceId);
      assert.equal(nestSpanUnder(run.spans, inner).name, 'UsersController.findOne');
    });

    test("a thrown error and an HttpException of 500 are recorded on the server span, which Nest's 500 marks with the error's type", () => {
      for (const [path, type, message, method] of [
        ['/api/v1/users/fail/throw', 'RangeError', 'out of range', 'failThrow'],
        ['/api/v1/users/fail/http-500', 'HttpException', 'upstream failed', 'failHttp500'],
      ] as const) {
        assert.equal(run.answers.get(path)?.status, 500, path);
        const server = serverSpan(run.spans, path);
        assert.equal(server.name, `GET ${path}`);
        assert.deepEqual(server.status, { code: 2, message });
        assert.equal(server.attributes['error.type'], type);
        assert.deepEqual(exceptionEvents(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
        const nest = nestSpanUnder(run.spans, server);
        assert.equal(nest.name, `UsersController.${method}`);
        assert.deepEqual(nest.status, { code: 2, message });
        assert.equal(exceptionEvents(nest)[0]?.['exception.type'], type);
        assert.equal(durationPoint(run.durations, path, 500).attributes['error.type'], type);
      }
    });

    test("a 404 NotFoundException, a pipe's 400 and a guard's 403 are answers: no exception, no error status, on any span", () => {
      const cases: Array<[FlatSpan, number]> = [
        [serverSpan(run.spans, '/api/v1/users/missing'), 404],
        [serverSpan(run.spans, '/api/v1/users/7/items/abc'), 400],
        [secretSpan(run.spans, undefined), 403],
      ];
      for (const [server, status] of cases) {
        assert.equal(server.attributes['http.response.status_code'], status);
        for (const span of traceOf(run.spans, server)) {
          assert.deepEqual([span.status.code, span.attributes['error.type'], exceptionEvents(span)], [0, undefined, []], `${status} ${span.name}`);
        }
      }
      assert.equal(durationPoint(run.durations, '/api/v1/users/:id', 404).attributes['error.type'], undefined);
    });

    test('the app answers every request exactly as it does without the launcher', () => {
      assert.deepEqual([...run.answers], [...plain]);
      assert.doesNotMatch(run.stderr, /otel-instrument/);
    });
  });
}

test("OTEL_NODE_DISABLED_INSTRUMENTATIONS=nestjs leaves express's spans as they are: the route, no Nest span, no recorded exception", async () => {
  const paths = ['/api/v1/users/42', '/api/v1/users/fail/throw'];
  const run = await runInstrumented(['node', APP], paths, paths.length, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nestjs', OTEL_METRICS_EXPORTER: 'none' });
  assert.deepEqual(run.answers.get('/api/v1/users/42'), { status: 200, body: '{"user":"42","tagged":true}' });
  assert.deepEqual(nestSpans(run.spans), []);
  const ok = serverSpan(run.spans, '/api/v1/users/42');
  assert.equal(ok.name, 'GET /api/v1/users/:id');
  assert.deepEqual(childrenOf(run.spans, ok).map((s) => s.name), ['request handler - /api/v1/users/:id']);
  const failed = serverSpan(run.spans, '/api/v1/users/fail/throw');
  // http alone sees only the 500.
  assert.deepEqual([failed.name, failed.attributes['error.type'], exceptionEvents(failed)], ['GET /api/v1/users/fail/throw', '500', []]);
});

for (const platform of ['express', 'fastify'] as const) {
  test(`an ES module NestJS app on the ${platform} platform gets the same route-named server span, Nest span and recorded error`, async () => {
    const paths = ['/api/v1/users/42', '/api/v1/users/fail/throw'];
    const run = await runInstrumented(['node', ESM_APP, platform], paths, paths.length, { OTEL_METRICS_EXPORTER: 'none' });
    assert.deepEqual(run.answers.get('/api/v1/users/42'), { status: 200, body: '{"user":"42","tagged":true}' });
    const server = serverSpan(run.spans, '/api/v1/users/42');
    assert.equal(server.name, 'GET /api/v1/users/:id');
    assert.equal(nestSpanUnder(run.spans, server).name, 'UsersController.findOne');
    const failed = serverSpan(run.spans, '/api/v1/users/fail/throw');
    assert.equal(failed.attributes['error.type'], 'RangeError');
    assert.deepEqual(exceptionEvents(failed).map((e) => e['exception.type']), ['RangeError']);
  });
}
