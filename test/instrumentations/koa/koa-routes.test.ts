// koa 3 and koa 2, each with @koa/router 15 and koa-router 14, in this process, patched through the
// module hooks as the bootstrap does: the route naming of the http server span and of its duration
// metric, the handler span and what runs under it, and handler errors on the server span.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'koa']);

// koa 2 is installed as `koa-2`, a name the require hook does not know: it is handed to the hooks
// under koa's own name, as the hook does for an app's `koa` 2.
const koa2 = require('koa-2') as unknown;
recorded.hooks.onLoad(koa2, 'koa', dirname(require.resolve('koa-2/package.json')));

/* eslint-disable @typescript-eslint/no-explicit-any -- koa's and the routers' own objects */
type Ctx = any;
type Next = () => Promise<unknown>;
type KoaApp = {
  use(fn: (ctx: Ctx, next: Next) => unknown): KoaApp;
  on(event: string, listener: (...args: any[]) => void): KoaApp;
  emit(event: string, ...args: unknown[]): boolean;
  listen(port: number, host: string, cb: () => void): Server;
  silent?: boolean;
};
type KoaClass = new () => KoaApp;
type RouterClass = new (options?: { prefix?: string }) => any;

function routerClass(moduleName: string): RouterClass {
  const exports = require(moduleName) as RouterClass & { Router?: RouterClass };
  return exports.Router ?? exports;
}

/** The app of every combination: nested and prefixed routers, failing routes, an app that answers errors itself. */
function buildApp(Koa: KoaClass, Router: RouterClass): { app: KoaApp; errors: unknown[]; setPort(port: number): void } {
  const app = new Koa();
  const errors: unknown[] = [];
  let port = 0;
  // The app's own listener replaces koa's logging one; koa still answers 500 itself.
  app.on('error', (error: unknown) => errors.push(error));
  app.use(async function errorHandler(ctx: Ctx, next: Next) {
    if (!ctx.path.startsWith('/guarded')) return next();
    try {
      await next();
    } catch (error) {
      ctx.status = 500;
      ctx.body = { error: (error as Error).message };
    }
  });
  app.use(async function failingMiddleware(ctx: Ctx, next: Next) {
    if (ctx.path === '/middleware-fail') throw new EvalError('from a middleware');
    await next();
  });
  const users = new Router();
  users.get('/:id', (ctx: Ctx) => {
    ctx.body = { user: ctx.params.id };
  });
  const api = new Router();
  api.use(async function apiMiddleware(_ctx: Ctx, next: Next) {
    await next();
  });
  api.use('/users', users.routes());
  const root = new Router();
  root.use('/api', api.routes());
  root.get('/fail/throw', () => {
    throw new RangeError('out of range');
  });
  root.get('/fail/async', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw new SyntaxError('rejected');
  });
  root.get('/guarded/throw', () => {
    throw new TypeError('answered by the app');
  });
  root.get('/refused', (ctx: Ctx) => ctx.throw(403, 'not yours'));
  root.get(/^\/regex\/(\d+)$/, (ctx: Ctx) => {
    ctx.body = { n: ctx.captures[0] };
  });
  root.get('/outgoing', async (ctx: Ctx) => {
    ctx.body = await new Promise((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${port}/api/users/7`, (res) => {
          res.resume();
          res.on('end', () => resolve({ downstream: res.statusCode }));
        })
        .on('error', reject);
    });
  });
  const v2 = new Router({ prefix: '/v2' });
  v2.get('/status', (ctx: Ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(root.routes());
  app.use(root.allowedMethods());
  app.use(v2.routes());
  return { app, errors, setPort: (p: number) => void (port = p) };
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return recorded.spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

function exceptions(span: ReadableSpan): Record<string, unknown>[] {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes as Record<string, unknown>);
}

const COMBINATIONS = [
  { label: 'koa 3 with @koa/router 15', koa: 'koa', router: '@koa/router' },
  { label: 'koa 3 with koa-router 14', koa: 'koa', router: 'koa-router' },
  { label: 'koa 2 with @koa/router 15', koa: 'koa-2', router: '@koa/router' },
  { label: 'koa 2 with koa-router 14', koa: 'koa-2', router: 'koa-router' },
] as const;

for (const combination of COMBINATIONS) {
  describe(combination.label, () => {
    let server: Server;
    let port: number;
    let errors: unknown[];

    before(async () => {
      const built = buildApp(require(combination.koa) as KoaClass, routerClass(combination.router));
      errors = built.errors;
      await new Promise<void>((resolve) => {
        server = built.app.listen(0, '127.0.0.1', resolve);
      });
      port = (server.address() as AddressInfo).port;
      built.setPort(port);
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    /** One request; returns its server span once `spans` spans have ended. */
    async function request(path: string, expectedStatus: number, spans: number, method = 'GET'): Promise<ReadableSpan> {
      recorded.clear();
      errors.length = 0;
      const answer = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      await answer.arrayBuffer();
      assert.equal(answer.status, expectedStatus, path);
      await waitForSpans(recorded.spans, spans);
      const servers = recorded.spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
      assert.equal(servers.length, 1);
      return servers[0]!;
    }

    function duration(): Record<string, unknown> {
      const found = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
      assert.equal(found.length, 1);
      return found[0]!.attributes as Record<string, unknown>;
    }

    test('the matched route through two nested routers names the server span and is http.route on the span and on the duration metric', async () => {
      const server = await request('/api/users/42', 200, 2);
      assert.equal(server.name, 'GET /api/users/:id');
      assert.equal(server.attributes['http.route'], '/api/users/:id');
      assert.equal(duration()['http.route'], '/api/users/:id');
    });

    test("a router's own prefix is part of the route", async () => {
      const server = await request('/v2/status', 200, 2);
      assert.deepEqual([server.name, server.attributes['http.route'], duration()['http.route']], ['GET /v2/status', '/v2/status', '/v2/status']);
    });

    test('a RegExp route is http.route by its source', async () => {
      const server = await request('/regex/5', 200, 2);
      assert.deepEqual([server.name, server.attributes['http.route']], ['GET ^\\/regex\\/(\\d+)$', '^\\/regex\\/(\\d+)$']);
    });

    test('the handler is one INTERNAL span under the server span, in the koa scope; middleware gets none', async () => {
      const server = await request('/api/users/42', 200, 2);
      assert.equal(recorded.spans.length, 2);
      const [handler] = childrenOf(server);
      assert.ok(handler);
      assert.equal(handler.name, 'router - /api/users/:id');
      assert.equal(handler.kind, SpanKind.INTERNAL);
      assert.deepEqual(handler.attributes, { 'koa.type': 'router', 'koa.name': '/api/users/:id', 'http.route': '/api/users/:id' });
      assert.deepEqual(handler.scope, { name: 'otel-instrument/koa', version: PACKAGE_VERSION, schemaUrl: undefined });
      assert.equal(handler.status.code, SpanStatusCode.UNSET);
      assert.ok(handler.endTime[0] * 1e9 + handler.endTime[1] <= server.endTime[0] * 1e9 + server.endTime[1]);
    });

    test('no route matched: a 404 named by the method alone, without http.route, and no handler span', async () => {
      const server = await request('/nope', 404, 1);
      assert.deepEqual([server.name, server.attributes['http.route'], server.status.code], ['GET', undefined, SpanStatusCode.UNSET]);
      assert.equal(duration()['http.route'], undefined);
      assert.deepEqual(childrenOf(server), []);
    });

    test('a path whose route answers another method is no route either (allowedMethods answers 405)', async () => {
      const server = await request('/fail/throw', 405, 1, 'POST');
      assert.deepEqual([server.name, server.attributes['http.route']], ['POST', undefined]);
      assert.deepEqual(childrenOf(server), []);
    });

    for (const [path, type, message] of [['/fail/throw', 'RangeError', 'out of range'], ['/fail/async', 'SyntaxError', 'rejected']] as const) {
      test(`an error from ${path} that koa answers 500 is on the handler span and once on the server span, whose error.type is ${type}`, async () => {
        const server = await request(path, 500, 2);
        assert.equal(server.name, `GET ${path}`);
        assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message });
        assert.equal(server.attributes['error.type'], type);
        assert.deepEqual(exceptions(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
        const [handler] = childrenOf(server);
        assert.deepEqual(handler!.status, { code: SpanStatusCode.ERROR, message });
        assert.equal(exceptions(handler!)[0]!['exception.type'], type);
        assert.deepEqual([duration()['error.type'], duration()['http.route']], [type, path]);
        // The app's own 'error' listener still got it, the very object.
        assert.equal(errors.length, 1);
        assert.equal((errors[0] as Error).message, message);
      });
    }

    test('an error the app answers 500 itself, without telling koa, is recorded from the handler that threw it', async () => {
      const server = await request('/guarded/throw', 500, 2);
      assert.equal(server.name, 'GET /guarded/throw');
      assert.equal(server.attributes['error.type'], 'TypeError');
      assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message: 'answered by the app' });
      assert.equal(exceptions(server).length, 1);
      assert.deepEqual(errors, []);
    });

    test('an error thrown by a plain middleware reaches koa, which reports it: recorded on the server span, no route', async () => {
      const server = await request('/middleware-fail', 500, 1);
      assert.equal(server.name, 'GET');
      assert.equal(server.attributes['error.type'], 'EvalError');
      assert.deepEqual(exceptions(server).map((e) => e['exception.message']), ['from a middleware']);
    });

    test('ctx.throw(403) is recorded as an exception, but neither the handler span nor the server span is an error', async () => {
      const server = await request('/refused', 403, 2);
      assert.equal(server.name, 'GET /refused');
      assert.equal(server.status.code, SpanStatusCode.UNSET);
      assert.equal(server.attributes['error.type'], undefined);
      assert.equal(exceptions(server)[0]!['exception.message'], 'not yours');
      const [handler] = childrenOf(server);
      assert.equal(handler!.status.code, SpanStatusCode.UNSET);
      assert.equal(exceptions(handler!).length, 1);
    });

    test("an outgoing call from the handler is a child of the handler span, and the callee's server span its child", async () => {
      const outer = await request('/outgoing', 200, 5);
      const [handler] = childrenOf(outer);
      assert.equal(handler!.name, 'router - /outgoing');
      const [client] = childrenOf(handler!);
      assert.equal(client!.kind, SpanKind.CLIENT);
      const inner = recorded.spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === '/api/users/7')!;
      assert.equal(inner.parentSpanId, client!.spanId);
      assert.equal(inner.name, 'GET /api/users/:id');
    });
  });
}
