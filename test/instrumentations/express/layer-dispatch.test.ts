// express 4 and express 5 in this process, patched through the module hook as the bootstrap does:
// route naming of the http server span, layer spans, and handler errors, checked in memory.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

// Every layer gets a span (middleware ones are off by default).
const recorded = instrumentInProcess(['http', 'express'], { OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES: 'none' });

type Next = (error?: unknown) => void;
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
}
interface Router {
  use(...args: unknown[]): void;
  get(path: string, ...handlers: unknown[]): void;
}
type ExpressModule = (() => Router & { listen(port: number, host: string, cb: () => void): Server }) & { Router(): Router };

/** The same app for both versions: a middleware, nested routers, failing routes and an error handler. */
function buildApp(express: ExpressModule) {
  const app = express();
  app.use(function logRequests(_req: unknown, _res: unknown, next: Next) {
    next();
  });
  const users = express.Router();
  users.get('/:id', (_req: unknown, res: Res) => res.json({ ok: true }));
  const api = express.Router();
  api.use('/users', users);
  app.use('/api', api);
  app.get('/maybe/:x', (_req: unknown, _res: unknown, next: Next) => next());
  app.get('/fail/next', (_req: unknown, _res: unknown, next: Next) => next(new TypeError('bad input')));
  app.get('/fail/throw', () => {
    throw new RangeError('out of range');
  });
  app.use(function errorHandler(error: Error, _req: unknown, res: Res, _next: Next) {
    res.status(500).json({ error: error.message });
  });
  return app;
}

function childOf(parent: ReadableSpan, name: string): ReadableSpan {
  const found = recorded.spans.find((s) => s.parentSpanId === parent.spanId && s.name === name);
  assert.ok(found, `no child ${name} of ${parent.name}: ${recorded.spans.map((s) => s.name).join(', ')}`);
  return found;
}

for (const [label, moduleName] of [['express 4', 'express'], ['express 5', 'express-5']] as const) {
  describe(label, () => {
    let server: Server;
    let port: number;

    before(async () => {
      const express = require(moduleName) as ExpressModule;
      await new Promise<void>((resolve) => {
        server = buildApp(express).listen(0, '127.0.0.1', resolve);
      });
      port = (server.address() as AddressInfo).port;
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    /** One request; returns its server span once the server span and its layer spans have ended. */
    async function request(path: string, expectedStatus: number): Promise<ReadableSpan> {
      recorded.clear();
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      await answer.arrayBuffer();
      assert.equal(answer.status, expectedStatus);
      await waitForSpans(recorded.spans, 2);
      const servers = recorded.spans.filter((s) => s.kind === SpanKind.SERVER);
      assert.equal(servers.length, 1);
      return servers[0]!;
    }

    test('the matched route names the server span and is http.route on the span and on the duration metric', async () => {
      const server = await request('/api/users/42', 200);
      assert.equal(server.name, 'GET /api/users/:id');
      assert.equal(server.attributes['http.route'], '/api/users/:id');
      const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration')!;
      assert.equal(duration.attributes['http.route'], '/api/users/:id');
    });

    test('middleware, routers and the request handler are INTERNAL spans under the server span, in the express scope', async () => {
      const server = await request('/api/users/42', 200);
      const middleware = childOf(server, 'middleware - logRequests');
      const api = childOf(server, 'router - /api');
      const users = childOf(api, 'router - /users');
      const handler = childOf(users, 'request handler - /:id');
      for (const span of [middleware, api, users, handler]) {
        assert.equal(span.kind, SpanKind.INTERNAL);
        assert.deepEqual(span.scope, { name: 'otel-instrument/express', version: PACKAGE_VERSION, schemaUrl: undefined });
      }
      assert.equal(handler.attributes['http.route'], '/api/users/:id');
      assert.equal(handler.attributes['express.type'], 'request_handler');
    });

    test('a route that passes the request on is not its route: a 404 keeps the method-only name', async () => {
      const server = await request('/maybe/1', 404);
      assert.equal(server.name, 'GET');
      assert.equal(server.attributes['http.route'], undefined);
      assert.equal(server.status.code, SpanStatusCode.UNSET);
    });

    for (const [path, type, message] of [['/fail/next', 'TypeError', 'bad input'], ['/fail/throw', 'RangeError', 'out of range']] as const) {
      test(`an error from ${path} answered 500 by the error handler gives the server span error.type ${type}`, async () => {
        const server = await request(path, 500);
        assert.equal(server.name, `GET ${path}`);
        assert.equal(server.attributes['error.type'], type);
        assert.deepEqual(server.status, { code: SpanStatusCode.ERROR, message });
        const exceptions = server.events.filter((e) => e.name === 'exception');
        assert.equal(exceptions.length, 1);
        assert.equal(exceptions[0]!.attributes['exception.type'], type);
        const handler = childOf(server, `request handler - ${path}`);
        assert.equal(handler.status.code, SpanStatusCode.ERROR);
        assert.equal(childOf(server, 'middleware - errorHandler').status.code, SpanStatusCode.UNSET);
        const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration')!;
        assert.deepEqual([duration.attributes['error.type'], duration.attributes['http.route']], [type, path]);
      });
    }
  });
}
