// OTEL_NODE_FASTIFY_HOOK_SPANS=true, fastify 5 and 4 in this process: a span per request hook, at
// the instance or on a route, each under the span active where it ran, with the hooks' functions
// still exactly what fastify accepts and refuses.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'fastify'], { OTEL_NODE_FASTIFY_HOOK_SPANS: 'true' });

type Done = (error?: Error | null, value?: unknown) => void;
interface Request {
  readonly url: string;
  user?: string;
}
interface Reply {
  code(status: number): Reply;
  send(payload?: unknown): Reply;
  header(name: string, value: string): Reply;
}
type AnyHook = (...args: never[]) => unknown;
interface Instance {
  get(path: string, options: Record<string, unknown>, handler: (request: Request, reply: Reply) => unknown): void;
  get(path: string, handler: (request: Request, reply: Reply) => unknown): void;
  addHook(name: string, hook: AnyHook): Instance;
  listen(options: { port: number; host: string }): Promise<string>;
  ready(): Promise<void>;
  close(): Promise<void>;
  readonly server: { address(): { port: number } };
}
type Factory = () => Instance;

function checkRole(request: Request, reply: Reply, done: Done): void {
  if (request.url === '/admin/denied') done(new RangeError('no role'));
  else done();
}
const routeHooks = [checkRole];

function buildApp(fastify: Factory): Instance {
  const app = fastify();
  app.addHook('onRequest', function authenticate(request: Request, _reply: Reply, done: Done) {
    request.user = 'ada';
    // Later, from a timer: the next step must not be parented on this hook's span.
    setImmediate(done);
  });
  app.addHook('preHandler', async function loadUser(request: Request) {
    await new Promise((resolve) => setImmediate(resolve));
    request.user = `${request.user} (loaded)`;
  });
  app.addHook('onSend', (_request: Request, reply: Reply, payload: unknown, done: Done) => {
    reply.header('x-hooked', 'yes');
    done(null, payload);
  });
  app.get('/users/me', async (request) => ({ user: request.user }));
  app.get('/admin/:what', { preHandler: routeHooks }, async () => ({ admin: true }));
  return app;
}

function childrenOf(parent: ReadableSpan): ReadableSpan[] {
  return recorded.spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

function named(name: string): ReadableSpan {
  const found = recorded.spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one "${name}": ${recorded.spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

for (const [label, moduleName] of [['fastify 5', 'fastify'], ['fastify 4', 'fastify-4']] as const) {
  describe(label, () => {
    let app: Instance;
    let port = 0;

    before(async () => {
      app = buildApp(require(moduleName) as Factory);
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = app.server.address().port;
    });

    after(() => app.close());

    async function request(path: string, status: number, spans: number): Promise<{ server: ReadableSpan; body: string; hooked: string | null }> {
      recorded.clear();
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = await answer.text();
      assert.equal(answer.status, status, body);
      await waitForSpans(recorded.spans, spans);
      return { server: named(`GET ${path.startsWith('/admin') ? '/admin/:what' : path}`), body, hooked: answer.headers.get('x-hooked') };
    }

    test('each instance hook gets an INTERNAL span `{hook} - {function}`, all children of the server span, beside the handler', async () => {
      const { server, body, hooked } = await request('/users/me', 200, 5);
      assert.equal(body, '{"user":"ada (loaded)"}');
      assert.equal(hooked, 'yes');
      const onRequest = named('onRequest - authenticate');
      const preHandler = named('preHandler - loadUser');
      const handler = named('handler - GET /users/me');
      // The handler's reply runs the onSend hooks: under the handler span on fastify 5 (its channel
      // wraps the send), under the server span on fastify 4.
      const onSend = named('onSend - anonymous');
      for (const span of [onRequest, preHandler, handler]) assert.equal(span.parentSpanId, server.spanId, span.name);
      assert.equal(onSend.parentSpanId, moduleName === 'fastify' ? handler.spanId : server.spanId);
      assert.deepEqual(onRequest.attributes, { 'fastify.type': 'hook', 'hook.name': 'onRequest', 'code.function.name': 'authenticate' });
      assert.deepEqual(onSend.attributes, { 'fastify.type': 'hook', 'hook.name': 'onSend' });
      for (const span of [onRequest, preHandler, onSend]) {
        assert.equal(span.kind, SpanKind.INTERNAL);
        assert.equal(span.status.code, SpanStatusCode.UNSET);
        assert.deepEqual(childrenOf(span), []);
      }
      // In order, each ended before the next began.
      assert.ok(onRequest.endTime <= preHandler.startTime && preHandler.endTime <= handler.startTime);
    });

    test("a route's own hooks get route-hook spans with its route; the one that fails passes its error to the span and the server span", async () => {
      const ok = await request('/admin/ok', 200, 6);
      const checked = named('preHandler - checkRole');
      assert.equal(checked.parentSpanId, ok.server.spanId);
      assert.deepEqual(checked.attributes, { 'fastify.type': 'route-hook', 'hook.name': 'preHandler', 'http.route': '/admin/:what', 'code.function.name': 'checkRole' });

      const denied = await request('/admin/denied', 500, 5);
      assert.equal(JSON.parse(denied.body).message, 'no role');
      assert.deepEqual(named('preHandler - checkRole').status, { code: SpanStatusCode.ERROR, message: 'no role' });
      assert.equal(denied.server.attributes['error.type'], 'RangeError');
      assert.equal(denied.server.events.filter((e) => e.name === 'exception').length, 1);
      // The handler never ran. fastify 5 still reports the step on its handler channel, with the
      // preHandler's error, so that span is there and failed; fastify 4 never calls the handler.
      const handlers = recorded.spans.filter((s) => s.name === 'handler - GET /admin/:what');
      if (moduleName === 'fastify') assert.deepEqual(handlers.map((s) => s.status), [{ code: SpanStatusCode.ERROR, message: 'no role' }]);
      else assert.deepEqual(handlers, []);
    });

    test("fastify refuses and accepts the same hooks as without us, and the app's own hook list is left as it was", async () => {
      const fresh = (require(moduleName) as Factory)();
      assert.throws(
        () => fresh.addHook('onRequest', async function wrongStyle(_request: unknown, _reply: unknown, _done: unknown) {}),
        (error: { code?: string }) => error.code === 'FST_ERR_HOOK_INVALID_ASYNC_HANDLER',
      );
      assert.throws(
        () => fresh.get('/x', { preHandler: [async (_request: unknown, _reply: unknown, _done: unknown) => {}] }, () => 'x'),
        (error: { code?: string }) => error.code === 'FST_ERR_HOOK_INVALID_ASYNC_HANDLER',
      );
      assert.deepEqual(routeHooks, [checkRole]);
      await fresh.close();
    });
  });
}
