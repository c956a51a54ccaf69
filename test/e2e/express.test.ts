// express 4 and 5 under the real launcher: what a real OTLP receiver gets for one fixture app
// (test/fixtures/express/app.js, loading `express` or `express-5` by EXPRESS_MODULE).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, startProcess, waitFor, type Running } from '../support/run-cli.js';

const APP = join(FIXTURES, 'express', 'app.js');
const INTERNAL = 1;
const SERVER = 2;
const CLIENT = 3;

interface Response {
  readonly status: number;
  readonly body: string;
}

interface AppRun {
  readonly spans: FlatSpan[];
  readonly responses: ReadonlyMap<string, Response>;
  readonly stderr: string;
}

async function requestAll(app: Running, paths: readonly string[]): Promise<Map<string, Response>> {
  const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
  const responses = new Map<string, Response>();
  for (const path of paths) responses.set(path, await httpGet(`http://127.0.0.1:${port}${path}`));
  return responses;
}

function stop(app: Running | undefined): void {
  if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}

/** Runs the fixture under the launcher, requests `paths` one after another, stops it and collects the spans. */
async function runInstrumented(expressModule: string, paths: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<AppRun> {
  const receiver = await GrpcReceiver.start();
  let app: Running | undefined;
  try {
    app = startCli(['node', APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      EXPRESS_MODULE: expressModule,
      ...env,
    });
    const responses = await requestAll(app, paths);
    app.child.kill('SIGTERM');
    const exit = await app.exited();
    // One server span per request, plus the one the /outgoing handler's own call produces.
    const servers = paths.length + (paths.includes('/outgoing') ? 1 : 0);
    const spans = await waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.kind === SERVER).length >= servers && all;
    }, `${servers} server spans`);
    return { spans, responses, stderr: exit.stderr };
  } finally {
    stop(app);
    await receiver.close();
  }
}

/** The same app and requests with plain node, no launcher. */
async function runPlain(expressModule: string, paths: readonly string[]): Promise<Map<string, Response>> {
  let app: Running | undefined;
  try {
    app = startProcess(process.execPath, [APP], { EXPRESS_MODULE: expressModule });
    const responses = await requestAll(app, paths);
    app.child.kill('SIGTERM');
    await app.exited();
    return responses;
  } finally {
    stop(app);
  }
}

function serverSpan(spans: readonly FlatSpan[], path: string): FlatSpan {
  const found = spans.filter((s) => s.kind === SERVER && s.attributes['url.path'] === path);
  assert.equal(found.length, 1, `one server span for ${path}; got ${found.length}`);
  return found[0]!;
}

function childrenOf(spans: readonly FlatSpan[], parent: FlatSpan): FlatSpan[] {
  return spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

function child(spans: readonly FlatSpan[], parent: FlatSpan, name: string): FlatSpan {
  const found = childrenOf(spans, parent).filter((s) => s.name === name);
  assert.equal(found.length, 1, `"${name}" under "${parent.name}"; children: ${childrenOf(spans, parent).map((s) => s.name).join(', ')}`);
  return found[0]!;
}

function exceptionEvent(span: FlatSpan): Record<string, unknown> | undefined {
  return span.events.find((e) => e.name === 'exception')?.attributes;
}

const VERSIONS = [
  { label: 'express 4', module: 'express', appMiddleware: ['middleware - query', 'middleware - expressInit', 'middleware - jsonParser', 'middleware - requestTag'] },
  { label: 'express 5', module: 'express-5', appMiddleware: ['middleware - jsonParser', 'middleware - requestTag'] },
] as const;

for (const version of VERSIONS) {
  const express5 = version.module === 'express-5';
  const paths = [
    '/api/users/42',
    '/api/items/9',
    '/one',
    '/regex/5',
    '/v1/status',
    '/maybe/1',
    '/nope',
    '/fail/next',
    '/fail/throw',
    '/async',
    '/outgoing',
    ...(express5 ? ['/async-fail'] : []),
  ];

  describe(`${version.label}, all layer spans on (OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES=none)`, () => {
    let run: AppRun;
    let plain: Map<string, Response>;
    before(async () => {
      [run, plain] = await Promise.all([
        runInstrumented(version.module, paths, { OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES: 'none' }),
        runPlain(version.module, paths),
      ]);
    });

    test('the server span is named by method and full route template, through nested routers, arrays, regexes and a mounted app', () => {
      const expected: Record<string, string> = {
        '/api/users/42': '/api/users/:id',
        '/api/items/9': '/api/items/:itemId',
        '/one': '/one,/two',
        '/regex/5': '^\\/regex\\/(\\d+)$',
        '/v1/status': '/v1/status',
        '/async': '/async',
        '/outgoing': '/outgoing',
        '/api/users/7': '/api/users/:id',
      };
      for (const [path, route] of Object.entries(expected)) {
        const span = serverSpan(run.spans, path);
        assert.equal(span.name, `GET ${route}`, path);
        assert.equal(span.attributes['http.route'], route, path);
      }
    });

    test('a path no route answers, or whose route passes it on, is answered 404 and named GET without http.route', () => {
      for (const path of ['/nope', '/maybe/1']) {
        assert.equal(run.responses.get(path)?.status, 404);
        const span = serverSpan(run.spans, path);
        assert.equal(span.name, 'GET');
        assert.equal(span.attributes['http.route'], undefined);
        assert.equal(span.status.code, 0);
      }
      // The catch-all ran as a middleware span.
      assert.equal(child(run.spans, serverSpan(run.spans, '/nope'), 'middleware - notFound').attributes['express.type'], 'middleware');
    });

    test('middleware, router and request handler spans are internal children of the server span or of their enclosing router', () => {
      const server = serverSpan(run.spans, '/api/users/42');
      for (const name of version.appMiddleware) {
        const span = child(run.spans, server, name);
        assert.equal(span.kind, INTERNAL);
        assert.equal(span.attributes['express.type'], 'middleware');
        assert.equal(span.attributes['express.name'], name.slice('middleware - '.length));
        assert.equal(span.attributes['http.route'], undefined);
      }
      const api = child(run.spans, server, 'router - /api');
      assert.deepEqual([api.kind, api.attributes['express.type'], api.attributes['express.name'], api.attributes['http.route']], [INTERNAL, 'router', '/api', '/api']);
      const users = child(run.spans, api, 'router - /users');
      assert.deepEqual([users.attributes['express.type'], users.attributes['http.route']], ['router', '/api/users']);
      const handler = child(run.spans, users, 'request handler - /:id');
      assert.deepEqual(
        [handler.kind, handler.attributes['express.type'], handler.attributes['express.name'], handler.attributes['http.route']],
        [INTERNAL, 'request_handler', '/:id', '/api/users/:id'],
      );
      assert.deepEqual(childrenOf(run.spans, handler), []);
      // Nothing else hangs off the server span: the route-internal layers get no spans of their own.
      assert.deepEqual(childrenOf(run.spans, server).map((s) => s.name).sort(), [...version.appMiddleware, 'router - /api'].sort());

      // The mounted app's own layers sit under its router span.
      const v1 = child(run.spans, serverSpan(run.spans, '/v1/status'), 'router - /v1');
      assert.equal(child(run.spans, v1, 'request handler - /status').attributes['http.route'], '/v1/status');
    });

    const failures = [
      { path: '/fail/next', route: '/fail/next', type: 'TypeError', message: 'bad input' },
      { path: '/fail/throw', route: '/fail/throw', type: 'RangeError', message: 'out of range' },
      ...(express5 ? [{ path: '/async-fail', route: '/async-fail', type: 'SyntaxError', message: 'rejected' }] : []),
    ];
    test(`errors passed to next(err)${express5 ? ', thrown, or rejected' : ' or thrown'} are recorded on the handler span and on the server span, which the error handler's 500 marks with the error's type`, () => {
      for (const { path, route, type, message } of failures) {
        assert.deepEqual(run.responses.get(path), { status: 500, body: JSON.stringify({ error: message, type }) });
        const server = serverSpan(run.spans, path);
        assert.equal(server.name, `GET ${route}`);
        assert.equal(server.status.code, 2, path);
        assert.equal(server.attributes['error.type'], type, path);
        assert.equal(server.attributes['http.response.status_code'], 500);
        assert.equal(server.events.filter((e) => e.name === 'exception').length, 1, path);
        assert.deepEqual([exceptionEvent(server)?.['exception.type'], exceptionEvent(server)?.['exception.message']], [type, message]);

        const handler = child(run.spans, server, `request handler - ${route}`);
        assert.equal(handler.status.code, 2, path);
        assert.equal(exceptionEvent(handler)?.['exception.type'], type);
        // The 4-argument error handler ran as the error handler, under the server span.
        const errorHandler = child(run.spans, server, 'middleware - errorHandler');
        assert.equal(errorHandler.status.code, 0);
        assert.ok(BigInt(errorHandler.startTimeUnixNano) >= BigInt(handler.endTimeUnixNano), 'error handler starts after the failing handler ended');
      }
    });

    test('an async handler keeps its span until it answers, and an outgoing http.get from a handler is a child of its request handler span', () => {
      assert.deepEqual(run.responses.get('/async'), { status: 200, body: '{"async":true}' });
      const asyncServer = serverSpan(run.spans, '/async');
      const asyncHandler = child(run.spans, asyncServer, 'request handler - /async');
      assert.equal(asyncHandler.status.code, 0);
      assert.ok(BigInt(asyncHandler.endTimeUnixNano) <= BigInt(asyncServer.endTimeUnixNano));

      assert.deepEqual(run.responses.get('/outgoing'), { status: 200, body: '{"downstream":{"user":"7"}}' });
      const outer = serverSpan(run.spans, '/outgoing');
      const handler = child(run.spans, outer, 'request handler - /outgoing');
      const clientSpan = childrenOf(run.spans, handler).find((s) => s.kind === CLIENT);
      assert.ok(clientSpan, 'client span under the request handler span');
      const inner = serverSpan(run.spans, '/api/users/7');
      assert.equal(inner.parentSpanId, clientSpan.spanId);
      assert.equal(inner.traceId, outer.traceId);
    });

    test('the app answers every request exactly as it does without the launcher, the 4-argument error handler included', () => {
      assert.deepEqual([...run.responses], [...plain]);
      assert.doesNotMatch(run.stderr, /otel-instrument/);
    });
  });

  describe(`${version.label}, layer spans switched off`, () => {
    const ignorePaths = ['/api/users/42', '/fail/next', '/nope'];

    test('OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES=all leaves no layer spans but keeps the route and the error on the server span', async () => {
      const run = await runInstrumented(version.module, ignorePaths, { OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES: 'all' });
      assert.deepEqual(run.spans.filter((s) => s.kind === INTERNAL).map((s) => s.name), []);
      const ok = serverSpan(run.spans, '/api/users/42');
      assert.deepEqual([ok.name, ok.attributes['http.route']], ['GET /api/users/:id', '/api/users/:id']);
      const failed = serverSpan(run.spans, '/fail/next');
      assert.deepEqual([failed.name, failed.status.code, failed.attributes['error.type']], ['GET /fail/next', 2, 'TypeError']);
      assert.equal(exceptionEvent(failed)?.['exception.message'], 'bad input');
      assert.equal(serverSpan(run.spans, '/nope').name, 'GET');
    });

    test('by default middleware gets no span; router and handler spans stay under the right parents', async () => {
      const run = await runInstrumented(version.module, ignorePaths);
      assert.deepEqual(run.spans.filter((s) => s.attributes['express.type'] === 'middleware').map((s) => s.name), []);
      const server = serverSpan(run.spans, '/api/users/42');
      assert.deepEqual(childrenOf(run.spans, server).map((s) => s.name), ['router - /api']);
      child(run.spans, child(run.spans, child(run.spans, server, 'router - /api'), 'router - /users'), 'request handler - /:id');
      assert.equal(serverSpan(run.spans, '/fail/next').attributes['error.type'], 'TypeError');
      assert.doesNotMatch(run.stderr, /otel-instrument/);
    });

    test('ignoring middleware explicitly keeps router and handler spans under the right parents, and an unknown type warns once naming the variable', async () => {
      const run = await runInstrumented(version.module, ignorePaths, { OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES: 'middleware, bogus' });
      assert.deepEqual(run.spans.filter((s) => s.attributes['express.type'] === 'middleware').map((s) => s.name), []);
      const server = serverSpan(run.spans, '/api/users/42');
      assert.deepEqual(childrenOf(run.spans, server).map((s) => s.name), ['router - /api']);
      const users = child(run.spans, child(run.spans, server, 'router - /api'), 'router - /users');
      child(run.spans, users, 'request handler - /:id');
      const warnings = run.stderr.split('\n').filter((line) => line.includes('OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES'));
      assert.equal(warnings.length, 1, run.stderr);
      assert.match(warnings[0]!, /otel-instrument: warn: .*"bogus"/);
    });
  });
}
