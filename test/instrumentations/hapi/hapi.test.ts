// hapi 21 in this process, patched through the module hook as the bootstrap does: the route naming of
// http's server span (plugin prefixes included), the route handler spans, and errors by their Boom
// status, checked in memory on a real hapi server with @hapi/boom.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'hapi']);
const http = require('node:http') as typeof import('node:http');

interface Request {
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  pre: Record<string, unknown>;
  response: unknown;
  setUrl(url: string): void;
}
interface Toolkit {
  continue: symbol;
  response(value: unknown): { code(status: number): unknown };
}
type Method = (request: Request, h: Toolkit) => unknown;
interface RouteDefinition {
  method: string;
  path: string;
  handler: Method;
  options?: Record<string, unknown>;
}
interface HapiServer {
  route(route: RouteDefinition | RouteDefinition[]): void;
  ext(event: string, method: Method): void;
  register(plugin: { name: string; register(server: HapiServer): Promise<void> | void }, options?: { routes?: { prefix?: string } }): Promise<void>;
  auth: { scheme(name: string, scheme: () => { authenticate: Method }): void; strategy(name: string, scheme: string): void };
  inject(path: string): Promise<{ statusCode: number; result: unknown }>;
  start(): Promise<void>;
  stop(): Promise<void>;
  info: { port: number };
}
const Hapi = require('@hapi/hapi') as { server(options: Record<string, unknown>): HapiServer };
const Boom = require('@hapi/boom') as Record<string, (message?: string) => Error> & { boomify(error: Error, options: { statusCode: number }): Error };

let server: HapiServer;
let port = 0;

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

before(async () => {
  server = Hapi.server({ port: 0, host: '127.0.0.1', debug: false });
  server.auth.scheme('key', () => ({
    authenticate: (request, h) => {
      if (request.headers['x-key'] !== 'k') throw Boom.unauthorized!('no key');
      return (h as unknown as { authenticated(credentials: object): unknown }).authenticated({ credentials: { user: 'u' } });
    },
  }));
  server.auth.strategy('key', 'key');
  server.route([
    { method: 'GET', path: '/users/{id}', handler: (request) => ({ user: request.params.id }) },
    {
      method: 'GET',
      path: '/async/{id?}',
      handler: async (request) => {
        await tick();
        return { async: request.params.id ?? null };
      },
    },
    { method: 'GET', path: '/secret', options: { auth: 'key' }, handler: () => ({ secret: true }) },
    { method: 'GET', path: '/boom/500', handler: () => Promise.reject(Boom.badImplementation!('kaput')) },
    { method: 'GET', path: '/boom/503', handler: () => Boom.serverUnavailable!('later') },
    { method: 'GET', path: '/boom/404', handler: () => { throw Boom.notFound!('no such thing'); } },
    { method: 'GET', path: '/boom/403', handler: () => { throw Boom.boomify(new RangeError('not yours'), { statusCode: 403 }); } },
    { method: 'GET', path: '/fail/type', handler: () => { throw new TypeError('bad input'); } },
    {
      method: 'GET',
      path: '/fail/async',
      handler: async () => {
        await tick();
        throw new SyntaxError('rejected');
      },
    },
    {
      method: 'GET',
      path: '/pre/fail',
      options: { pre: [{ method: () => { throw new URIError('pre broke'); }, assign: 'p' }] },
      handler: () => 'unreachable',
    },
    {
      method: 'GET',
      path: '/outgoing',
      handler: async () => {
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
        return { downstream: JSON.parse(body) };
      },
    },
  ]);
  // An onRequest extension may rewrite the path before routing: the route is the one it leads to.
  server.ext('onRequest', (request, h) => {
    if ((request as unknown as { path: string }).path === '/old-users/5') request.setUrl('/users/5');
    return h.continue;
  });
  server.ext('onPreResponse', (request, h) => {
    if ((request as unknown as { path: string }).path === '/ext/fail') throw new EvalError('ext broke');
    return h.continue;
  });
  server.route({ method: 'GET', path: '/ext/fail', handler: () => 'fine until the extension' });
  await server.register(
    {
      name: 'inventory',
      register(plugin) {
        plugin.route({ method: 'GET', path: '/items/{itemId}', handler: (request) => ({ item: request.params.itemId }) });
      },
    },
    { routes: { prefix: '/api/v1' } },
  );
  await server.start();
  port = server.info.port;
});

after(() => server.stop());

function serverSpanOf(path: string): ReadableSpan | undefined {
  return recorded.spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return recorded.spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
}

function exceptionsOf(span: ReadableSpan): Record<string, unknown>[] {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes ?? {});
}

/** One request; returns its server span once it has ended, and the answer. */
async function request(path: string, expectedStatus: number, headers: Record<string, string> = {}): Promise<{ span: ReadableSpan; body: string }> {
  recorded.clear();
  const answer = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  const body = await answer.text();
  assert.equal(answer.status, expectedStatus, `${path}: ${body}`);
  const deadline = Date.now() + 2000;
  while (serverSpanOf(path) === undefined) {
    if (Date.now() > deadline) throw new Error(`no server span for ${path}: ${recorded.spans.map((s) => s.name).join(', ')}`);
    await tick();
  }
  return { span: serverSpanOf(path)!, body };
}

function durationAttributes(): Record<string, unknown> {
  const durations = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
  assert.equal(durations.length, 1);
  return durations[0]!.attributes;
}

test('the matched route as declared (plugin prefix included) names the server span and is http.route on the span and the duration metric', async () => {
  for (const [path, route] of [
    ['/users/42', '/users/{id}'],
    ['/async', '/async/{id?}'],
    ['/async/3', '/async/{id?}'],
    ['/api/v1/items/9', '/api/v1/items/{itemId}'],
    ['/old-users/5', '/users/{id}'],
  ] as const) {
    const { span } = await request(path, 200);
    assert.equal(span.name, `GET ${route}`, path);
    assert.equal(span.attributes['http.route'], route, path);
    assert.equal(span.status.code, SpanStatusCode.UNSET, path);
    assert.equal(durationAttributes()['http.route'], route, path);
  }
});

test('the route handler is an INTERNAL span under the server span, in the hapi scope, named as the official instrumentation names it', async () => {
  const { span: server } = await request('/users/42', 200);
  const children = childrenOf(server);
  assert.deepEqual(children.map((s) => s.name), ['route - /users/{id}']);
  const handler = children[0]!;
  assert.equal(handler.kind, SpanKind.INTERNAL);
  assert.deepEqual(handler.attributes, { 'http.route': '/users/{id}', 'hapi.type': 'router' });
  assert.deepEqual(handler.scope, { name: 'otel-instrument/hapi', version: PACKAGE_VERSION, schemaUrl: undefined });

  const { span: pluginServer } = await request('/api/v1/items/9', 200);
  const pluginHandler = childrenOf(pluginServer)[0]!;
  assert.equal(pluginHandler.name, 'inventory: route - /api/v1/items/{itemId}');
  assert.deepEqual(pluginHandler.attributes, { 'http.route': '/api/v1/items/{itemId}', 'hapi.type': 'plugin', 'hapi.plugin.name': 'inventory' });
});

test('an outgoing call from a handler is the child of its handler span', async () => {
  const { span: outer, body } = await request('/outgoing', 200);
  assert.equal(body, '{"downstream":{"user":"7"}}');
  const handler = childrenOf(outer).find((s) => s.name === 'route - /outgoing')!;
  const client = childrenOf(handler).find((s) => s.kind === SpanKind.CLIENT);
  assert.ok(client, recorded.spans.map((s) => s.name).join(', '));
  assert.equal(serverSpanOf('/users/7')!.parentSpanId, client.spanId);
});

test('a path no route matches is answered 404 by hapi and keeps the method-only name, with no handler span', async () => {
  const { span } = await request('/nope', 404);
  assert.equal(span.name, 'GET');
  assert.equal(span.attributes['http.route'], undefined);
  assert.equal(durationAttributes()['http.route'], undefined);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.deepEqual(childrenOf(span), []);
});

test('a route refused before its handler (auth) is still the request route; the 401 is no error and the handler gets no span', async () => {
  const { span } = await request('/secret', 401);
  assert.equal(span.name, 'GET /secret');
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.deepEqual(exceptionsOf(span), []);
  assert.deepEqual(childrenOf(span), []);
  const { span: allowed } = await request('/secret', 200, { 'x-key': 'k' });
  assert.deepEqual(childrenOf(allowed).map((s) => s.name), ['route - /secret']);
});

const failures = [
  { path: '/fail/type', type: 'TypeError', message: 'bad input', handler: true },
  { path: '/fail/async', type: 'SyntaxError', message: 'rejected', handler: true },
  { path: '/boom/500', type: 'Error', message: 'kaput', handler: true },
  { path: '/pre/fail', type: 'URIError', message: 'pre broke', handler: false },
  { path: '/ext/fail', type: 'EvalError', message: 'ext broke', handler: false },
];
for (const { path, type, message, handler } of failures) {
  test(`${path}: the error hapi answers 500 for is recorded on the server span${handler ? ' and the handler span' : ''}, error.type ${type}`, async () => {
    const { span: server, body } = await request(path, 500);
    assert.deepEqual(JSON.parse(body), { statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred' });
    assert.equal(server.name, `GET ${path}`);
    assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message });
    assert.equal(server.attributes['error.type'], type);
    assert.deepEqual(exceptionsOf(server).map((e) => [e['exception.type'], e['exception.message']]), [[type, message]]);
    assert.deepEqual([durationAttributes()['error.type'], durationAttributes()['http.route']], [type, path]);
    const handlerSpan = childrenOf(server).find((s) => s.name === `route - ${path}`);
    if (handler) {
      assert.deepEqual(handlerSpan?.status, { code: SpanStatusCode.ERROR, message });
      assert.equal(exceptionsOf(handlerSpan!)[0]?.['exception.type'], type);
    } else if (handlerSpan !== undefined) {
      // The extension failed after the handler answered: the handler itself did fine.
      assert.equal(handlerSpan.status.code, SpanStatusCode.UNSET);
    }
  });
}

test('a Boom 5xx the handler returns is a failure too; its status is the answer', async () => {
  const { span } = await request('/boom/503', 503);
  assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'later' });
  assert.equal(exceptionsOf(span).length, 1);
  assert.equal(childrenOf(span)[0]!.status.code, SpanStatusCode.ERROR);
});

for (const [path, status] of [['/boom/404', 404], ['/boom/403', 403]] as const) {
  test(`a Boom ${status} is hapi's answer, not a server error: recorded on no span, as http treats a ${status}`, async () => {
    const { span } = await request(path, status);
    assert.equal(span.name, `GET ${path}`);
    assert.equal(span.attributes['http.response.status_code'], status);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.attributes['error.type'], undefined);
    assert.deepEqual(exceptionsOf(span), []);
    const handler = childrenOf(span)[0]!;
    assert.deepEqual([handler.name, handler.status.code, exceptionsOf(handler)], [`route - ${path}`, SpanStatusCode.UNSET, []]);
    assert.equal(durationAttributes()['error.type'], undefined);
  });
}

test('server.inject() (no http request) makes no span and answers as always', async () => {
  recorded.clear();
  const answer = await server.inject('/users/3');
  assert.deepEqual([answer.statusCode, answer.result], [200, { user: '3' }]);
  await tick();
  assert.deepEqual(recorded.spans, []);
});
