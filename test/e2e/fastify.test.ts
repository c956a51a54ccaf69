// fastify 5 and 4 under the real launcher: what a real OTLP receiver gets for one fixture app
// (test/fixtures/fastify/app.js, loading `fastify` or `fastify-4` by FASTIFY_MODULE), with hook
// spans off (the default) and on, and with the instrumentation disabled by name.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES } from '../support/run-cli.js';
import {
  child,
  childrenOf,
  CLIENT,
  exceptionEvents,
  INTERNAL,
  runInstrumented as runApp,
  runPlain as runPlainApp,
  SERVER,
  serverSpan,
  type Answer,
  type InstrumentedRun,
} from '../support/web-app-run.js';

const APP = join(FIXTURES, 'fastify', 'app.js');
const PATHS = ['/api/users/42', '/api/outgoing', '/api/fail/throw', '/api/fail/send', '/private', '/nope'];
const COMMAND = ['node', APP];

/** Under the launcher: one server span per request, plus the one /api/outgoing's own call produces. */
function runInstrumented(fastifyModule: string, env: NodeJS.ProcessEnv = {}): Promise<InstrumentedRun> {
  return runApp(COMMAND, PATHS, PATHS.length + 1, { FASTIFY_MODULE: fastifyModule, ...env });
}

function runPlain(fastifyModule: string): Promise<Map<string, Answer>> {
  return runPlainApp(COMMAND, PATHS, { FASTIFY_MODULE: fastifyModule });
}

function exceptionEvent(span: FlatSpan): Record<string, unknown> | undefined {
  return exceptionEvents(span)[0];
}

const ROUTES: Record<string, string> = {
  '/api/users/42': '/api/users/:id',
  '/api/outgoing': '/api/outgoing',
  '/api/fail/throw': '/api/fail/throw',
  '/api/fail/send': '/api/fail/send',
  '/private': '/private',
  '/api/users/7': '/api/users/:id',
};

for (const { label, module } of [
  { label: 'fastify 5', module: 'fastify' },
  { label: 'fastify 4', module: 'fastify-4' },
]) {
  describe(`${label}, default settings`, () => {
    let run: InstrumentedRun;
    let plain: Map<string, Answer>;
    before(async () => {
      [run, plain] = await Promise.all([runInstrumented(module), runPlain(module)]);
    });

    test('the app answers every request exactly as it does without the launcher', () => {
      assert.deepEqual([...run.answers], [...plain]);
      assert.equal(run.answers.get('/api/users/42')?.body, '{"user":"42"}');
      assert.doesNotMatch(run.stderr, /otel-instrument/);
    });

    test('the server span is named by method and route, prefix included, and the duration metric has the same http.route', () => {
      for (const [path, route] of Object.entries(ROUTES)) {
        const span = serverSpan(run.spans, path);
        assert.equal(span.name, `GET ${route}`, path);
        assert.equal(span.attributes['http.route'], route, path);
      }
      const points = run.durations;
      const users = points.find((p) => p.attributes['http.route'] === '/api/users/:id');
      // /api/users/42 and the call /api/outgoing made to /api/users/7.
      assert.equal(Number(users?.count), 2);
      assert.ok(points.some((p) => p.attributes['http.route'] === '/private' && p.attributes['http.response.status_code'] === 401));
    });

    test('a 404 has no route: its server span is named GET, without http.route, and without a handler span', () => {
      assert.equal(run.answers.get('/nope')?.status, 404);
      const span = serverSpan(run.spans, '/nope');
      assert.equal(span.name, 'GET');
      assert.equal(span.attributes['http.route'], undefined);
      assert.deepEqual(childrenOf(run.spans, span), []);
    });

    test('the handler span is the server span\'s one child, and an outgoing call from the handler nests under it', () => {
      const server = serverSpan(run.spans, '/api/users/42');
      assert.deepEqual(childrenOf(run.spans, server).map((s) => s.name), ['handler - GET /api/users/:id']);
      const handler = childrenOf(run.spans, server)[0]!;
      assert.equal(handler.kind, INTERNAL);
      assert.deepEqual(handler.attributes, { 'fastify.type': 'request-handler', 'http.route': '/api/users/:id' });

      const outer = serverSpan(run.spans, '/api/outgoing');
      const outgoing = child(run.spans, outer, 'handler - GET /api/outgoing');
      const client = childrenOf(run.spans, outgoing);
      assert.deepEqual(client.map((s) => s.kind), [CLIENT]);
      const inner = serverSpan(run.spans, '/api/users/7');
      assert.equal(inner.parentSpanId, client[0]!.spanId);
      child(run.spans, inner, 'handler - GET /api/users/:id');
      assert.ok(BigInt(outgoing.endTimeUnixNano) >= BigInt(client[0]!.endTimeUnixNano), 'the handler span lasts until its callback answered');
    });

    test('a thrown error and reply.code(500).send(err) are on the server span with the exception, error.type and status', () => {
      for (const [path, type, message, handlerFailed] of [
        ['/api/fail/throw', 'RangeError', 'out of range', true],
        ['/api/fail/send', 'TypeError', 'sent as the answer', false],
      ] as const) {
        assert.equal(run.answers.get(path)?.status, 500);
        const server = serverSpan(run.spans, path);
        assert.deepEqual(server.status, { code: 2, message });
        assert.equal(server.attributes['error.type'], type);
        assert.equal(server.events.filter((e) => e.name === 'exception').length, 1, path);
        assert.deepEqual([exceptionEvent(server)?.['exception.type'], exceptionEvent(server)?.['exception.message']], [type, message]);
        const handler = child(run.spans, server, `handler - GET ${path}`);
        assert.equal(handler.status.code, handlerFailed ? 2 : 0, path);
      }
    });

    test('a request an onRequest hook answers keeps its route and runs no handler; hooks get no spans by default', () => {
      const server = serverSpan(run.spans, '/private');
      assert.equal(run.answers.get('/private')?.status, 401);
      assert.deepEqual(childrenOf(run.spans, server), []);
      assert.deepEqual(run.spans.filter((s) => s.attributes['fastify.type'] === 'hook'), []);
    });
  });

  describe(`${label}, OTEL_NODE_FASTIFY_HOOK_SPANS=true`, () => {
    test('each instance hook gets a span under the server span, the handler keeps its own', async () => {
      const run = await runInstrumented(module, { OTEL_NODE_FASTIFY_HOOK_SPANS: 'true' });
      const server = serverSpan(run.spans, '/api/users/42');
      assert.deepEqual(
        childrenOf(run.spans, server).map((s) => s.name).sort(),
        ['handler - GET /api/users/:id', 'onRequest - authenticate', 'preHandler - tagRequest'],
      );
      const authenticate = child(run.spans, server, 'onRequest - authenticate');
      assert.deepEqual(authenticate.attributes, { 'fastify.type': 'hook', 'hook.name': 'onRequest', 'code.function.name': 'authenticate' });
      // The hook that answered /private: its span, and nothing after it.
      assert.deepEqual(childrenOf(run.spans, serverSpan(run.spans, '/private')).map((s) => s.name), ['onRequest - authenticate']);
      assert.doesNotMatch(run.stderr, /otel-instrument/);
    });
  });

  describe(`${label}, OTEL_NODE_DISABLED_INSTRUMENTATIONS=fastify`, () => {
    test('fastify is left alone: server spans named by method only, no fastify spans, the same answers', async () => {
      const [run, plain] = await Promise.all([runInstrumented(module, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fastify' }), runPlain(module)]);
      assert.deepEqual([...run.answers], [...plain]);
      assert.deepEqual([...new Set(run.spans.filter((s) => s.kind === SERVER).map((s) => s.name))], ['GET']);
      assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL), []);
      assert.equal(serverSpan(run.spans, '/api/fail/send').events.length, 0);
    });
  });
}
