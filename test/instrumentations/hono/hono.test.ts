// hono 4 on @hono/node-server in this process, patched through the module hook as the bootstrap does,
// for the default Hono class and both presets (each routes with other routers): the route naming of
// http's server span, the request handler spans and handler errors, checked in memory.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { INSTRUMENTATIONS } from '../../../instrumentations/registry.js';
import { HONO_ENTRIES, ROUTER_ENTRIES } from '../../../instrumentations/hono/index.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'hono']);
const http = require('node:http') as typeof import('node:http');

type Next = () => Promise<void>;
interface Ctx {
  req: { param(name: string): string; header(name: string): string | undefined };
  json(body: unknown, status?: number): Response;
  text(body: string, status?: number): Response;
  header(name: string, value: string): void;
}
type Handler = (c: Ctx, next: Next) => unknown;
interface App {
  use(path: string, ...handlers: Handler[]): App;
  get(path: string, ...handlers: Handler[]): App;
  route(path: string, app: App): App;
  basePath(path: string): App;
  onError(handler: (error: Error, c: Ctx) => Response): App;
  fetch: (request: Request, ...rest: unknown[]) => Response | Promise<Response>;
  request(path: string): Response | Promise<Response>;
}
type HonoClass = new () => App;
const { HTTPException } = require('hono/http-exception') as {
  HTTPException: new (status: number, options: { message: string }) => Error & { getResponse(): Response };
};
const { serve } = require('@hono/node-server') as {
  serve(options: { fetch: App['fetch']; port: number; hostname: string }, listening: () => void): Server;
};

let port = 0;

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One app for every Hono class: middleware on /api only, so the other routes take hono's single-handler path. */
function buildApp(Hono: HonoClass): App {
  const app = new Hono();
  app.use('/api/*', async function tagApi(c, next) {
    await next();
    c.header('x-api', '1');
  });
  app.get('/users/:id', (c) => c.json({ user: c.req.param('id') }));
  const api = new Hono();
  api.get('/items/:itemId', (c) => c.json({ item: c.req.param('itemId') }));
  api.get('/fail', async () => {
    await tick();
    throw new URIError('api broke');
  });
  app.route('/api', api);
  // A sub-app with its own error handler: hono runs its handlers inside that handler.
  const admin = new Hono();
  admin.onError((error, c) => c.json({ admin: error.message }, 500));
  admin.get('/fail', () => {
    throw new RangeError('admin broke');
  });
  app.route('/admin', admin);
  const v2 = new Hono().basePath('/v2');
  v2.get('/status', async (c) => {
    await tick();
    return c.json({ ok: true });
  });
  app.route('/', v2);
  // A guard that answers by itself, and a route that passes the request on.
  app.use('/guarded/*', async (c, next) => {
    if (c.req.header('x-key') !== 'k') return c.json({ error: 'denied' }, 401);
    await next();
    return undefined;
  });
  app.get('/guarded/data', (c) => c.json({ data: 1 }));
  app.get('/maybe/:x', async (_c, next) => {
    await next();
  });
  app.get('/fail/throw', () => {
    throw new TypeError('bad input');
  });
  app.get('/fail/async', async () => {
    await tick();
    throw new SyntaxError('rejected');
  });
  app.get('/fail/http-403', () => {
    throw new HTTPException(403, { message: 'forbidden' });
  });
  app.get('/fail/http-503', () => {
    throw new HTTPException(503, { message: 'unavailable' });
  });
  app.get('/outgoing', async (c) => {
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${port}/users/7`, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    return c.json({ downstream: JSON.parse(body) });
  });
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    return c.json({ error: error.message, type: error.name }, 500);
  });
  return app;
}

function serverSpanOf(path: string): ReadableSpan | undefined {
  return recorded.spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return recorded.spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
}

function exceptionsOf(span: ReadableSpan): Record<string, unknown>[] {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes ?? {});
}

/** One request; returns its server span once it has ended (it ends on the response's close). */
async function request(path: string, expectedStatus: number, headers: Record<string, string> = {}): Promise<ReadableSpan> {
  recorded.clear();
  const answer = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await answer.arrayBuffer();
  assert.equal(answer.status, expectedStatus, path);
  const deadline = Date.now() + 2000;
  while (serverSpanOf(path) === undefined) {
    if (Date.now() > deadline) throw new Error(`no server span for ${path}: ${recorded.spans.map((s) => s.name).join(', ')}`);
    await tick();
  }
  return serverSpanOf(path)!;
}

function durationRoute(): unknown {
  const durations = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
  assert.equal(durations.length, 1);
  return durations[0]!.attributes['http.route'];
}

test('the registry hooks exactly the entry points the hono instrumentation has targets for', () => {
  const entry = INSTRUMENTATIONS.find((e) => e.name === 'hono')!;
  assert.deepEqual([...entry.modules].sort(), [...HONO_ENTRIES, ...Object.keys(ROUTER_ENTRIES)].sort());
  assert.deepEqual(entry.load().targets.map((t) => t.module).sort(), [...entry.modules].sort());
});

for (const entry of HONO_ENTRIES) {
  describe(`${entry}: the Hono class it exports`, () => {
    let server: Server;

    before(async () => {
      const { Hono } = require(entry) as { Hono: HonoClass };
      await new Promise<void>((resolve) => {
        server = serve({ fetch: buildApp(Hono).fetch, port: 0, hostname: '127.0.0.1' }, resolve);
      });
      port = (server.address() as AddressInfo).port;
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    test('the route that answered names the server span and is http.route on the span and on the duration metric', async () => {
      for (const [path, route] of [
        ['/users/42', '/users/:id'],
        ['/api/items/9', '/api/items/:itemId'],
        ['/v2/status', '/v2/status'],
        ['/guarded/data', '/guarded/data'],
      ] as const) {
        const span = await request(path, 200, { 'x-key': 'k' });
        assert.equal(span.name, `GET ${route}`, path);
        assert.equal(span.attributes['http.route'], route, path);
        assert.equal(span.status.code, SpanStatusCode.UNSET, path);
        assert.equal(durationRoute(), route, path);
      }
    });

    test('each request handler is an INTERNAL span under the server span, in the hono scope; middleware gets none', async () => {
      const server = await request('/api/items/9', 200);
      const children = childrenOf(server);
      assert.deepEqual(children.map((s) => s.name), ['request handler - /api/items/:itemId']);
      const handler = children[0]!;
      assert.equal(handler.kind, SpanKind.INTERNAL);
      assert.equal(handler.attributes['http.route'], '/api/items/:itemId');
      assert.deepEqual(handler.scope, { name: 'otel-instrument/hono', version: PACKAGE_VERSION, schemaUrl: undefined });
      assert.ok(handler.endTime[0] * 1e9 + handler.endTime[1] <= server.endTime[0] * 1e9 + server.endTime[1]);
    });

    test('an async handler keeps its span until it answers, and an outgoing call from it is the child of its span', async () => {
      const outer = await request('/outgoing', 200);
      const handler = childrenOf(outer).find((s) => s.name === 'request handler - /outgoing');
      assert.ok(handler, recorded.spans.map((s) => s.name).join(', '));
      const client = childrenOf(handler).find((s) => s.kind === SpanKind.CLIENT);
      assert.ok(client, 'client span under the request handler span');
      const inner = serverSpanOf('/users/7')!;
      assert.equal(inner.parentSpanId, client.spanId);
      assert.equal(inner.name, 'GET /users/:id');
    });

    test('a request no route answers keeps the method-only name: nothing matched, a route passed it on, or only middleware ran', async () => {
      for (const path of ['/nope', '/maybe/1', '/api/none']) {
        const span = await request(path, 404);
        assert.equal(span.name, 'GET', path);
        assert.equal(span.attributes['http.route'], undefined, path);
        assert.equal(durationRoute(), undefined, path);
        assert.deepEqual(childrenOf(span), [], path);
      }
    });

    test('a middleware that answers by itself leaves the route the request matched, else is the route', async () => {
      const span = await request('/guarded/data', 401);
      assert.equal(span.name, 'GET /guarded/data');
      assert.equal(span.attributes['http.route'], '/guarded/data');
      assert.equal(durationRoute(), '/guarded/data');
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(childrenOf(span), []);
      // Nothing but the middleware matched /guarded/other: its own pattern is the route.
      assert.equal((await request('/guarded/other', 401)).name, 'GET /guarded/*');
    });

    const failures = [
      { path: '/fail/throw', route: '/fail/throw', type: 'TypeError', message: 'bad input', body: { error: 'bad input', type: 'TypeError' } },
      { path: '/fail/async', route: '/fail/async', type: 'SyntaxError', message: 'rejected', body: { error: 'rejected', type: 'SyntaxError' } },
      { path: '/api/fail', route: '/api/fail', type: 'URIError', message: 'api broke', body: { error: 'api broke', type: 'URIError' } },
      { path: '/admin/fail', route: '/admin/fail', type: 'RangeError', message: 'admin broke', body: { admin: 'admin broke' } },
    ];
    for (const { path, route, type, message, body } of failures) {
      test(`an error from ${path} is recorded on its handler span and the server span, and onError's 500 gives error.type ${type}`, async () => {
        recorded.clear();
        const server = await request(path, 500);
        assert.equal(server.name, `GET ${route}`);
        assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message });
        assert.equal(server.attributes['error.type'], type);
        assert.deepEqual(exceptionsOf(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
        const handler = childrenOf(server).find((s) => s.name === `request handler - ${route}`)!;
        assert.deepEqual(handler.status, { code: SpanStatusCode.ERROR, message });
        assert.equal(exceptionsOf(handler)[0]?.['exception.type'], type);
        const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration')!;
        assert.deepEqual([duration.attributes['error.type'], duration.attributes['http.route']], [type, route]);
        // The app's own answer is untouched.
        const answer = await fetch(`http://127.0.0.1:${port}${path}`);
        assert.deepEqual(await answer.json(), body);
      });
    }

    test('an HTTPException below 500 is an answer, recorded nowhere; one of 500 and above is a failure', async () => {
      const denied = await request('/fail/http-403', 403);
      assert.equal(denied.name, 'GET /fail/http-403');
      assert.equal(denied.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(exceptionsOf(denied), []);
      const handler = childrenOf(denied)[0]!;
      assert.deepEqual([handler.status.code, exceptionsOf(handler)], [SpanStatusCode.UNSET, []]);

      const down = await request('/fail/http-503', 503);
      assert.deepEqual(down.status, { code: SpanStatusCode.ERROR, message: 'unavailable' });
      assert.equal(down.attributes['error.type'], 'HTTPException');
      assert.equal(exceptionsOf(down).length, 1);
    });

    test('app.request() without a node server makes no span and answers as always', async () => {
      const { Hono } = require(entry) as { Hono: HonoClass };
      recorded.clear();
      const answer = await buildApp(Hono).request('/users/3');
      assert.deepEqual(await answer.json(), { user: '3' });
      await tick();
      assert.deepEqual(recorded.spans, []);
    });
  });
}
