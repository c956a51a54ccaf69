// http's declareSpannedHandlers on fastify 5 (its handler channel) and 4 (its wrapped handlers): a
// route declared inside it, as NestJS declares its controller routes, gets its route on the server
// span but no fastify handler span, for the framework above spans the handler itself; a route declared
// outside it, or the same url on another instance, keeps its handler span; and once the framework
// above turns itself off, the route's handler span is back.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { declareSpannedHandlers } from '../../../instrumentations/http/framework-api.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['http', 'fastify']);

interface Instance {
  get(path: string, handler: () => unknown): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  readonly server: { address(): { port: number } };
}
type Factory = () => Instance;

/** GET `path`: the names of its spans, in the order they ended, once the server span has. */
async function spansOf(port: number, path: string): Promise<string[]> {
  recorded.clear();
  const answer = await fetch(`http://127.0.0.1:${port}${path}`);
  assert.equal(answer.status, 200, await answer.text());
  await waitForSpans(recorded.spans, 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(recorded.spans.filter((s) => s.kind === SpanKind.SERVER).length, 1);
  return recorded.spans.map((s) => s.name);
}

for (const [label, moduleName] of [['fastify 5', 'fastify'], ['fastify 4', 'fastify-4']] as const) {
  describe(label, () => {
    const above = { enabled: true };
    let spanned: Instance;
    let other: Instance;
    const ports = { spanned: 0, other: 0 };

    before(async () => {
      const fastify = require(moduleName) as Factory;
      spanned = fastify();
      declareSpannedHandlers(above, spanned.get, spanned, ['/users/:id', async () => ({ spanned: true })]);
      spanned.get('/plain', async () => ({ plain: true }));
      other = fastify();
      other.get('/users/:id', async () => ({ other: true }));
      for (const [name, app] of [['spanned', spanned], ['other', other]] as const) {
        await app.listen({ port: 0, host: '127.0.0.1' });
        ports[name] = app.server.address().port;
      }
    });

    after(async () => {
      await spanned.close();
      await other.close();
    });

    test('a route declared inside declareSpannedHandlers names the server span and gets no handler span', async () => {
      assert.deepEqual(await spansOf(ports.spanned, '/users/42'), ['GET /users/:id']);
    });

    test('a route declared outside it, and the same url on another instance, keep their handler spans', async () => {
      assert.deepEqual(await spansOf(ports.spanned, '/plain'), ['handler - GET /plain', 'GET /plain']);
      assert.deepEqual(await spansOf(ports.other, '/users/42'), ['handler - GET /users/:id', 'GET /users/:id']);
    });

    test('once the framework above is off, the handler span is back', async () => {
      above.enabled = false;
      try {
        assert.deepEqual(await spansOf(ports.spanned, '/users/42'), ['handler - GET /users/:id', 'GET /users/:id']);
      } finally {
        above.enabled = true;
      }
    });
  });
}
