// What the koa instrumentation changes that an app could look at, and what it must leave alone:
// the route layers' stacks (the handler's name and arity, param middleware, shared stacks),
// what a handler returns, and koa's 'error' event.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'koa']);

/* eslint-disable @typescript-eslint/no-explicit-any -- koa's and the routers' own objects */
type Ctx = any;
type Next = () => Promise<unknown>;
const Koa = require('koa') as new () => any;

for (const routerModule of ['@koa/router', 'koa-router']) {
  describe(`${routerModule}: the app's router as it sees it`, () => {
    const exported = require(routerModule) as any;
    const Router = exported.Router ?? exported;
    let server: Server;
    let port: number;
    const calls: string[] = [];
    const router = new Router();
    let thenCalls = 0;

    function showUser(ctx: Ctx, next: Next): void {
      calls.push(`show ${ctx.params.id} ${ctx.state.user}`);
      void next;
      ctx.body = 'user';
    }
    async function authorize(ctx: Ctx, next: Next): Promise<void> {
      calls.push('authorize');
      await next();
    }
    function both(ctx: Ctx): void {
      calls.push(`both ${ctx.path}`);
      ctx.body = 'both';
    }
    router.param('id', (id: string, ctx: Ctx, next: Next) => {
      calls.push(`param ${id}`);
      ctx.state.user = `u${id}`;
      return next();
    });
    router.get('/users/:id', authorize, showUser);
    router.get(['/a', '/b'], both);
    // Not a native promise: something whose .then starts work, as a query builder's does.
    router.get('/thenable', (ctx: Ctx) => ({
      then(resolve: (value: unknown) => void) {
        thenCalls++;
        ctx.body = 'thenable';
        resolve(undefined);
      },
    }));

    before(async () => {
      const app = new Koa();
      app.use(router.routes());
      await new Promise<void>((resolve) => {
        server = app.listen(0, '127.0.0.1', resolve);
      });
      port = (server.address() as AddressInfo).port;
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    async function get(path: string): Promise<string> {
      recorded.clear();
      calls.length = 0;
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = await answer.text();
      await waitForSpans(recorded.spans, 2);
      return body;
    }

    test('the route layer keeps its functions in order, the first one named and sized as the app wrote it', () => {
      const layer = router.stack.find((l: any) => l.path === '/users/:id');
      assert.equal(layer.stack.length, 3);
      assert.equal(typeof layer.stack[0].param, 'string', 'param middleware stays first');
      assert.deepEqual([layer.stack[1].name, layer.stack[1].length], ['authorize', 2]);
      assert.equal(layer.stack[2], showUser, 'only the first of the route functions is wrapped');
    });

    test('param middleware, the route middleware and the handler run once each, in order, under one handler span', async () => {
      assert.equal(await get('/users/3'), 'user');
      assert.deepEqual(calls, ['param 3', 'authorize', 'show 3 u3']);
      const handlers = recorded.spans.filter((s) => s.kind === SpanKind.INTERNAL);
      assert.deepEqual(handlers.map((s) => s.name), ['router - /users/:id']);
    });

    test('two paths sharing one stack are wrapped once: the handler runs once, under one span named by the path that matched', async () => {
      const [a, b] = router.stack.filter((l: any) => l.path === '/a' || l.path === '/b');
      assert.equal(a.stack, b.stack);
      assert.equal(a.stack.length, 1);
      assert.equal(await get('/b'), 'both');
      assert.deepEqual(calls, ['both /b']);
      assert.deepEqual(recorded.spans.filter((s) => s.kind === SpanKind.INTERNAL).map((s) => s.name), ['router - /b']);
    });

    test("a handler's thenable is left to koa: its then runs once, as without the instrumentation", async () => {
      thenCalls = 0;
      assert.equal(await get('/thenable'), 'thenable');
      assert.equal(thenCalls, 1);
    });

    test('a handler called outside a router chain runs as it is, with no span', () => {
      const layer = router.stack.find((l: any) => l.path === '/a');
      const ctx = { path: '/direct', body: undefined as unknown };
      recorded.clear();
      assert.equal(layer.stack[0](ctx), undefined);
      assert.equal(ctx.body, 'both');
      assert.deepEqual(recorded.spans, []);
    });
  });
}

describe('an error from an async handler', () => {
  // V8 follows an error's async stack through promises with one reaction each: a second one of ours
  // on the handler's promise would cut the app's awaiting middleware out of the stack.
  test("keeps in its stack the app's middleware that awaited the route", async () => {
    const Router = (require('@koa/router') as any).Router ?? require('@koa/router');
    const app = new Koa();
    app.use(async function errorLogger(ctx: Ctx, next: Next) {
      try {
        await next();
      } catch (error) {
        ctx.body = (error as Error).stack;
      }
    });
    async function loadUser(): Promise<never> {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('db timeout');
    }
    const router = new Router();
    router.get('/u/:id', async function getUser(ctx: Ctx) {
      ctx.body = await loadUser();
    });
    app.use(router.routes());
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      recorded.clear();
      const stack = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/u/1`)).text();
      assert.match(stack, /at async getUser /);
      assert.match(stack, /at async errorLogger /);
      await waitForSpans(recorded.spans, 2);
      assert.equal(recorded.spans.find((s) => s.kind === SpanKind.INTERNAL)?.name, 'router - /u/:id');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("koa's 'error' event", () => {
  test('is wrapped on koa\'s prototype only, and an app emitting it keeps every result and throw it had', () => {
    assert.equal(isWrapped(Koa.prototype.emit), true);
    assert.equal(isWrapped(require('node:events').EventEmitter.prototype.emit), false);
    const app = new Koa();
    // No listener: EventEmitter throws the error itself, as without us.
    const error = new Error('nobody listens');
    assert.throws(() => app.emit('error', error, { req: {} }), (thrown: unknown) => thrown === error);
    const seen: unknown[] = [];
    app.on('error', (...args: unknown[]) => seen.push(args));
    assert.equal(app.emit('error', error), true);
    assert.equal(app.emit('error', error, null), true);
    assert.equal(app.emit('error', error, { req: 'not a request' }), true);
    assert.equal(app.emit('other', 1, 2), false);
    assert.equal(seen.length, 3);
  });
});
