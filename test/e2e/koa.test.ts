// koa 3 and koa 2 with @koa/router and koa-router under the real launcher: what a real OTLP receiver
// gets for one fixture app (test/fixtures/koa/app.js, picking koa and the router by KOA_MODULE and
// ROUTER_MODULE), and the same app answering exactly as it does without the launcher.
//
// koa 2 is installed here as `koa-2`, a name no app uses and the require hook rightly ignores; an app
// loads it as `koa`. So the test copies it to <build>/koa-2-*/node_modules/koa (inside the repository,
// so its dependencies resolve from the root node_modules) and the fixture requires that folder.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, ROOT } from '../support/run-cli.js';
import {
  childrenOf,
  CLIENT,
  exceptionEvents,
  INTERNAL,
  runInstrumented as runApp,
  runPlain as runPlainApp,
  serverSpan,
  type Answer,
  type InstrumentedRun,
} from '../support/web-app-run.js';

const APP = join(FIXTURES, 'koa', 'app.js');

const koa2Folder = mkdtempSync(join(ROOT, 'dist', 'koa-2-'));
const KOA_2 = join(koa2Folder, 'node_modules', 'koa');
cpSync(join(ROOT, 'node_modules', 'koa-2'), KOA_2, { recursive: true, dereference: true });
after(() => rmSync(koa2Folder, { recursive: true, force: true }));

const PATHS = [
  '/api/users/42',
  '/api/items/9',
  '/one',
  '/two',
  '/checked/5',
  '/checked/0',
  '/v2/status',
  '/nope',
  '/fail/throw',
  '/fail/async',
  '/guarded/throw',
  '/guarded/emit',
  '/middleware-fail',
  '/async',
  '/outgoing',
];

const COMMAND = ['node', APP];

/** Under the launcher: one server span per request, plus the one the /outgoing handler's own call produces. */
function runInstrumented(env: NodeJS.ProcessEnv): Promise<InstrumentedRun> {
  return runApp(COMMAND, PATHS, PATHS.length + 1, { OTEL_METRICS_EXPORTER: 'none', ...env });
}

function runPlain(env: NodeJS.ProcessEnv): Promise<Map<string, Answer>> {
  return runPlainApp(COMMAND, PATHS, env);
}

/** The one handler span of a request: the only child of its server span. */
function handlerOf(spans: readonly FlatSpan[], server: FlatSpan): FlatSpan {
  const children = childrenOf(spans, server);
  assert.equal(children.length, 1, `one child of ${server.name}: ${children.map((s) => s.name).join(', ')}`);
  return children[0]!;
}

const exceptionsOf = exceptionEvents;

const ROUTES: Record<string, string> = {
  '/api/users/42': '/api/users/:id',
  '/api/items/9': '/api/items/:itemId',
  '/one': '/one',
  '/two': '/two',
  '/checked/5': '/checked/:n',
  '/checked/0': '/checked/:n',
  '/v2/status': '/v2/status',
  '/fail/throw': '/fail/throw',
  '/fail/async': '/fail/async',
  '/guarded/throw': '/guarded/throw',
  '/guarded/emit': '/guarded/emit',
  '/async': '/async',
  '/outgoing': '/outgoing',
  '/api/users/7': '/api/users/:id',
};

const VERSIONS = [
  { label: 'koa 3 with @koa/router, koa reporting errors itself', major: 3, env: { KOA_MODULE: 'koa', ROUTER_MODULE: '@koa/router' } },
  { label: 'koa 2 with koa-router, and an app.on("error") listener of the app', major: 2, env: { KOA_MODULE: KOA_2, ROUTER_MODULE: 'koa-router', KOA_ERROR_LISTENER: '1' } },
] as const;

for (const version of VERSIONS) {
  describe(version.label, () => {
    let run: InstrumentedRun;
    let plain: Map<string, Answer>;
    before(async () => {
      [run, plain] = await Promise.all([runInstrumented(version.env), runPlain(version.env)]);
    });

    test('the server span is named by method and full route template, through nested routers, a router prefix and a path list', () => {
      assert.match(run.stdout, new RegExp(`listening \\d+ koa ${version.major}\\.`));
      for (const [path, route] of Object.entries(ROUTES)) {
        const span = serverSpan(run.spans, path);
        assert.equal(span.name, `GET ${route}`, path);
        assert.equal(span.attributes['http.route'], route, path);
      }
    });

    test('a path no route answers is a 404 named GET without http.route, and has no handler span', () => {
      assert.equal(run.answers.get('/nope')?.status, 404);
      const span = serverSpan(run.spans, '/nope');
      assert.deepEqual([span.name, span.attributes['http.route'], span.status.code], ['GET', undefined, 0]);
      assert.deepEqual(childrenOf(run.spans, span), []);
    });

    test("each routed request has one INTERNAL handler span, the server span's only child; middleware has none", () => {
      for (const [path, route] of Object.entries(ROUTES)) {
        const handler = handlerOf(run.spans, serverSpan(run.spans, path));
        assert.deepEqual(
          [handler.name, handler.kind, handler.attributes['koa.type'], handler.attributes['http.route'], handler.scope.name],
          [`router - ${route}`, INTERNAL, 'router', route, 'otel-instrument/koa'],
          path,
        );
      }
      const internal = run.spans.filter((s) => s.kind === INTERNAL);
      assert.equal(internal.length, Object.keys(ROUTES).length, internal.map((s) => s.name).join(', '));
    });

    test('an outgoing http.get from a handler is a child of its handler span, and the callee is its child', () => {
      assert.deepEqual(run.answers.get('/outgoing'), { status: 200, body: '{"downstream":{"user":"7"}}' });
      const outer = serverSpan(run.spans, '/outgoing');
      const handler = handlerOf(run.spans, outer);
      const client = childrenOf(run.spans, handler).find((s) => s.kind === CLIENT);
      assert.ok(client, 'client span under the handler span');
      const inner = serverSpan(run.spans, '/api/users/7');
      assert.equal(inner.parentSpanId, client.spanId);
      assert.equal(inner.traceId, outer.traceId);
      assert.ok(BigInt(handler.endTimeUnixNano) >= BigInt(client.endTimeUnixNano), 'the async handler span lasts until it answered');
    });

    const failures = [
      { path: '/fail/throw', type: 'RangeError', message: 'out of range', handler: true, body: 'Internal Server Error' },
      { path: '/fail/async', type: 'SyntaxError', message: 'rejected', handler: true, body: 'Internal Server Error' },
      { path: '/guarded/throw', type: 'TypeError', message: 'answered by the app', handler: true, body: '{"error":"answered by the app","type":"TypeError"}' },
      { path: '/guarded/emit', type: 'URIError', message: 'answered and emitted by the app', handler: true, body: '{"error":"answered and emitted by the app","type":"URIError"}' },
      { path: '/middleware-fail', type: 'EvalError', message: 'from a middleware', handler: false, body: 'Internal Server Error' },
    ];
    test("thrown and rejected errors are recorded once on the server span, which the 500 marks with the error's type, whether koa or the app answered it", () => {
      for (const { path, type, message, handler, body } of failures) {
        assert.deepEqual(run.answers.get(path), { status: 500, body }, path);
        const server = serverSpan(run.spans, path);
        assert.deepEqual([server.status.code, server.status.message], [2, message], path);
        assert.equal(server.attributes['error.type'], type, path);
        assert.equal(server.attributes['http.response.status_code'], 500, path);
        assert.deepEqual(exceptionsOf(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]], path);
        if (handler) {
          const span = handlerOf(run.spans, server);
          assert.equal(span.status.code, 2, path);
          assert.equal(exceptionsOf(span)[0]?.['exception.type'], type, path);
        } else {
          assert.equal(server.name, 'GET');
          assert.deepEqual(childrenOf(run.spans, server), []);
        }
      }
    });

    test('ctx.throw(400) in a route middleware is recorded but is no error of the server or of the handler', () => {
      assert.deepEqual(run.answers.get('/checked/0'), { status: 400, body: 'n must not be 0' });
      const server = serverSpan(run.spans, '/checked/0');
      assert.equal(server.status.code, 0);
      assert.equal(server.attributes['error.type'], undefined);
      assert.equal(exceptionsOf(server)[0]?.['exception.type'], 'BadRequestError');
      assert.equal(handlerOf(run.spans, server).status.code, 0);
    });

    test('the app answers every request exactly as it does without the launcher, and its own error listener still hears every error', () => {
      assert.deepEqual([...run.answers], [...plain]);
      assert.doesNotMatch(run.stderr, /otel-instrument/);
      if ('KOA_ERROR_LISTENER' in version.env) {
        for (const line of ['app error on /fail/throw: out of range', 'app error on /guarded/emit: answered and emitted by the app', 'app error on /middleware-fail: from a middleware']) {
          assert.ok(run.stdout.includes(line), line);
        }
      } else {
        // koa's own listener logs what reached it, as always.
        assert.match(run.stderr, /RangeError: out of range/);
      }
    });
  });
}

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=koa: server spans without routes, no handler spans, the same answers', async () => {
  const env = { KOA_MODULE: 'koa', ROUTER_MODULE: '@koa/router' };
  const [run, plain] = await Promise.all([runInstrumented({ ...env, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'koa' }), runPlain(env)]);
  assert.deepEqual([...run.answers], [...plain]);
  assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL), []);
  for (const path of PATHS) assert.equal(serverSpan(run.spans, path).name, 'GET', path);
  // http alone sees the 500, not the error behind it.
  const failed = serverSpan(run.spans, '/fail/throw');
  assert.deepEqual([failed.attributes['error.type'], exceptionsOf(failed)], ['500', []]);
});
