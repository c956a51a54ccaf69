// app.param / router.param callbacks in express 4 and 5, patched in this process through the module
// hook as the bootstrap does: a callback that rejects the request after its route matched keeps that
// route on the server span (and on the duration metric), whichever router the route is in, with the
// router's own template as prefix; one that passes the request on changes nothing. A route's own
// middleware that rejects keeps the route too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SpanKind } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'express']);

type Next = (error?: unknown) => void;
type Req = { params: Record<string, string>; thing?: string };
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
}
interface Router {
  use(...args: unknown[]): void;
  get(path: string, ...handlers: unknown[]): void;
  param(name: string, fn: (req: Req, res: Res, next: Next, value: string) => void): void;
}
type ExpressModule = (() => Router & { listen(port: number, host: string, cb: () => void): Server }) & {
  Router(options?: object): Router;
};

class NotFound extends Error {
  readonly status = 404;
}

/** `missing` is a 404 from the callback, `broken` a 500, `skip` is next('route'), anything else passes on. */
function loadThing(req: Req, _res: Res, next: Next, value: string): void {
  if (value === 'missing') next(new NotFound(`no thing ${value}`));
  else if (value === 'broken') next(new RangeError('the store is down'));
  else if (value === 'skip') next('route');
  else {
    req.thing = value;
    next();
  }
}

function buildApp(express: ExpressModule) {
  const app = express();
  app.param('thing', loadThing);
  app.get('/things/:thing', (req: Req, res: Res) => res.json({ thing: req.thing }));
  // A route whose own middleware refuses the request.
  app.get(
    '/guarded/:id',
    (_req: Req, _res: Res, next: Next) => next(new NotFound('not yours')),
    (_req: Req, res: Res) => res.json({ ok: true }),
  );

  // A router whose route is the first layer it runs (no level of its own yet when params are processed).
  const first = express.Router();
  first.param('thing', loadThing);
  first.get('/:thing', (req: Req, res: Res) => res.json({ thing: req.thing }));
  app.use('/first', first);

  // A router mounted under a template, with a middleware before the route.
  const shops = express.Router({ mergeParams: true });
  shops.use((_req: Req, _res: Res, next: Next) => next());
  shops.param('thing', loadThing);
  shops.get('/items/:thing', (req: Req, res: Res) => res.json({ thing: req.thing }));
  app.use('/shops/:shop', shops);

  app.use((error: { status?: number; message: string }, _req: Req, res: Res, _next: Next) => {
    res.status(error.status ?? 500).json({ error: error.message });
  });
  return app;
}

for (const [label, moduleName] of [['express 4', 'express'], ['express 5', 'express-5']] as const) {
  describe(`${label}: param callbacks`, () => {
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

    async function request(path: string, expectedStatus: number): Promise<ReadableSpan> {
      recorded.clear();
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      await answer.arrayBuffer();
      assert.equal(answer.status, expectedStatus, path);
      await waitForSpans(recorded.spans, 1);
      const servers = recorded.spans.filter((s) => s.kind === SpanKind.SERVER);
      assert.equal(servers.length, 1);
      return servers[0]!;
    }

    function assertRoute(span: ReadableSpan, route: string): void {
      assert.equal(span.name, `GET ${route}`);
      assert.equal(span.attributes['http.route'], route);
      const duration = recorded.measurements.find((m) => m.instrument === 'http.server.request.duration');
      assert.equal(duration?.attributes['http.route'], route);
    }

    test('a callback that rejects with a 404 keeps the matched route', async () => {
      assertRoute(await request('/things/missing', 404), '/things/:thing');
      assertRoute(await request('/first/missing', 404), '/first/:thing');
      assertRoute(await request('/shops/7/items/missing', 404), '/shops/:shop/items/:thing');
    });

    test("a route's own middleware that rejects keeps the route", async () => {
      assertRoute(await request('/guarded/1', 404), '/guarded/:id');
    });

    test('a callback that fails with a 500 keeps the route and records the exception on the server span', async () => {
      for (const [path, route] of [
        ['/things/broken', '/things/:thing'],
        ['/shops/7/items/broken', '/shops/:shop/items/:thing'],
      ] as const) {
        const span = await request(path, 500);
        assertRoute(span, route);
        assert.equal(span.attributes['error.type'], 'RangeError');
        const exception = span.events.find((e) => e.name === 'exception');
        assert.equal(exception?.attributes?.['exception.message'], 'the store is down');
      }
    });

    test('a callback that passes the request on changes nothing; next("route") gives the route back', async () => {
      assertRoute(await request('/things/tea', 200), '/things/:thing');
      assertRoute(await request('/shops/7/items/tea', 200), '/shops/:shop/items/:thing');
      const skipped = await request('/things/skip', 404);
      assert.equal(skipped.name, 'GET');
      assert.equal(skipped.attributes['http.route'], undefined);
    });
  });
}
