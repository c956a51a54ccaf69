// fastify 5 (its handler tracing channel) and fastify 4 (its handlers wrapped at onRoute) in this
// process, instrumented as the bootstrap does: route naming of the http server span and its metric,
// the handler span and what nests under it, errors, 404s and hooks that answer. Hook spans are off.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'fastify']);

interface Reply {
  code(status: number): Reply;
  send(payload?: unknown): Reply;
}
interface Request {
  readonly url: string;
  readonly params: Record<string, string>;
}
type Handler = (request: Request, reply: Reply) => unknown;
interface Instance {
  get(path: string, handler: Handler): void;
  addHook(name: string, hook: (...args: never[]) => unknown): void;
  register(plugin: (instance: Instance) => Promise<void>, options?: { prefix: string }): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  readonly server: { address(): { port: number } };
}
type Factory = () => Instance;

/** The same app for both versions: a prefixed plugin, a hook that answers, handlers of every style. */
function buildApp(fastify: Factory, port: () => number): Instance {
  const app = fastify();
  app.addHook('onRequest', async (request: Request, reply: Reply) => {
    if (request.url === '/private') return reply.code(401).send({ denied: true });
  });
  app.get('/private', () => ({ secret: true }));
  app.register(
    async (api) => {
      api.get('/', async () => ({ root: true }));
      api.get('/users/:id', async (request) => ({ id: request.params.id }));
      // Callback style: answers later, from the response of an outgoing call.
      api.get('/outgoing', (_request, reply) => {
        get(`http://127.0.0.1:${port()}/api/users/7`, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => reply.send({ downstream: JSON.parse(body) as unknown }));
        });
      });
      api.get('/fail/throw', () => {
        throw new RangeError('out of range');
      });
      api.get('/fail/reject', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new SyntaxError('rejected');
      });
      api.get('/fail/send', (_request, reply) => {
        reply.code(500).send(new TypeError('sent as the answer'));
      });
    },
    { prefix: '/api' },
  );
  return app;
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return recorded.spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

function onlyChild(parent: ReadableSpan): ReadableSpan {
  const children = childrenOf(parent);
  assert.equal(children.length, 1, `children of ${parent.name}: ${children.map((s) => s.name).join(', ')}`);
  return children[0]!;
}

function durationRoute(): unknown {
  const durations = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
  assert.equal(durations.length, 1);
  return durations[0]!.attributes['http.route'];
}

for (const [label, moduleName] of [['fastify 5', 'fastify'], ['fastify 4', 'fastify-4']] as const) {
  describe(label, () => {
    let app: Instance;
    let port = 0;

    before(async () => {
      app = buildApp(require(moduleName) as Factory, () => port);
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = app.server.address().port;
    });

    after(() => app.close());

    /** One request; its server span once `spans` spans have ended. */
    async function request(path: string, status: number, spans: number): Promise<{ server: ReadableSpan; body: string }> {
      recorded.clear();
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = await answer.text();
      assert.equal(answer.status, status, body);
      await waitForSpans(recorded.spans, spans);
      const servers = recorded.spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
      assert.equal(servers.length, 1, recorded.spans.map((s) => s.name).join(', '));
      return { server: servers[0]!, body };
    }

    test('the route, prefix included, names the server span and is http.route on it and on the duration metric', async () => {
      const { server, body } = await request('/api/users/42', 200, 2);
      assert.equal(body, '{"id":"42"}');
      assert.equal(server.name, 'GET /api/users/:id');
      assert.equal(server.attributes['http.route'], '/api/users/:id');
      assert.equal(durationRoute(), '/api/users/:id');
    });

    // fastify registers a prefix's root route twice; fastify 4 knows the second by its own url.
    const rootRoutes = moduleName === 'fastify' ? { '/api': '/api', '/api/': '/api' } : { '/api': '/api', '/api/': '/api/' };
    test(`a prefix's root route is the route fastify knows: ${JSON.stringify(rootRoutes)}, on the server and handler spans`, async () => {
      for (const [path, route] of Object.entries(rootRoutes)) {
        const { server } = await request(path, 200, 2);
        assert.equal(server.name, `GET ${route}`, path);
        assert.equal(server.attributes['http.route'], route, path);
        assert.equal(onlyChild(server).name, `handler - GET ${route}`);
      }
    });

    test('the handler gets an INTERNAL span named by method and route, the only child of the server span, in the fastify scope', async () => {
      const { server } = await request('/api/users/42', 200, 2);
      const handler = onlyChild(server);
      assert.equal(handler.name, 'handler - GET /api/users/:id');
      assert.equal(handler.kind, SpanKind.INTERNAL);
      assert.deepEqual(handler.attributes, { 'fastify.type': 'request-handler', 'http.route': '/api/users/:id' });
      assert.deepEqual(handler.scope, { name: 'otel-instrument/fastify', version: PACKAGE_VERSION, schemaUrl: undefined });
      assert.equal(handler.status.code, SpanStatusCode.UNSET);
    });

    test("a handler's outgoing call nests under the handler span, which lasts until its callback answered", async () => {
      // This request's server span, its handler's, the client call, and the called route's two.
      const { server, body } = await request('/api/outgoing', 200, 5);
      assert.equal(body, '{"downstream":{"id":"7"}}');
      assert.equal(server.name, 'GET /api/outgoing');
      const handler = onlyChild(server);
      assert.equal(handler.name, 'handler - GET /api/outgoing');
      const client = onlyChild(handler);
      assert.equal(client.kind, SpanKind.CLIENT);
      const downstream = onlyChild(client);
      assert.equal(downstream.name, 'GET /api/users/:id');
      assert.equal(onlyChild(downstream).name, 'handler - GET /api/users/:id');
      assert.ok(handler.endTime >= client.endTime, 'the handler span ends after the call it made');
    });

    const failures = [
      { path: '/api/fail/throw', type: 'RangeError', message: 'out of range', handlerFailed: true },
      { path: '/api/fail/reject', type: 'SyntaxError', message: 'rejected', handlerFailed: true },
      { path: '/api/fail/send', type: 'TypeError', message: 'sent as the answer', handlerFailed: false },
    ];
    for (const { path, type, message, handlerFailed } of failures) {
      test(`${path}: the error fastify answers 500 is on the server span with error.type ${type}${handlerFailed ? ', and on the handler span' : ''}`, async () => {
        const { server, body } = await request(path, 500, 2);
        assert.equal(JSON.parse(body).message, message);
        assert.equal(server.name, `GET ${path}`);
        assert.equal(server.attributes['error.type'], type);
        assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message });
        const exceptions = server.events.filter((e) => e.name === 'exception');
        assert.equal(exceptions.length, 1);
        assert.deepEqual([exceptions[0]!.attributes['exception.type'], exceptions[0]!.attributes['exception.message']], [type, message]);
        const handler = onlyChild(server);
        assert.equal(handler.name, `handler - GET ${path}`);
        if (handlerFailed) {
          assert.deepEqual(handler.status, { code: SpanStatusCode.ERROR, message });
          assert.equal(handler.events.filter((e) => e.name === 'exception').length, 1);
        } else {
          // reply.send(err) is an answer the handler chose, not a failure of the handler.
          assert.equal(handler.status.code, SpanStatusCode.UNSET);
        }
        const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration')!;
        assert.deepEqual([duration.attributes['error.type'], duration.attributes['http.route']], [type, path]);
      });
    }

    test('a request an onRequest hook answers keeps its route; its handler never ran and has no span', async () => {
      const { server, body } = await request('/private', 401, 1);
      assert.equal(body, '{"denied":true}');
      assert.equal(server.name, 'GET /private');
      assert.equal(server.attributes['http.route'], '/private');
      assert.deepEqual(childrenOf(server), []);
    });

    test('a 404 has no route: the server span is named by its method only, with no handler span', async () => {
      const { server } = await request('/nope', 404, 1);
      assert.equal(server.name, 'GET');
      assert.equal(server.attributes['http.route'], undefined);
      assert.equal(server.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(childrenOf(server), []);
      assert.equal(durationRoute(), undefined);
    });

    test('hooks get no spans unless OTEL_NODE_FASTIFY_HOOK_SPANS is on', async () => {
      await request('/api/users/42', 200, 2);
      // Give any stray hook span a turn to end, then count again.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(recorded.spans.map((s) => s.name).sort(), ['GET /api/users/:id', 'handler - GET /api/users/:id']);
    });
  });
}
