// knex 3 on pg, against a real PostgreSQL: no knex instrumentation of its own; its queries are
// spans through the pg instrumentation, under the request, with the text knex generated.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startPostgres, type TestServer } from '../../support/servers/postgres.js';

const recorded = instrumentInProcess(['pg']);
const tracer = recorded.hooks.telemetryFor('test').tracer;

/* eslint-disable @typescript-eslint/no-explicit-any */
const knexFactory: any = require('knex');

async function inRequest<T>(name: string, fn: () => Promise<T>): Promise<{ request: Span; result: T }> {
  const request = tracer.startSpan(name, { kind: SpanKind.SERVER });
  try {
    return { request, result: await runWithContext(trace.setSpan(ROOT_CONTEXT, request), fn) };
  } finally {
    request.end();
  }
}

describe('knex on pg against a real PostgreSQL', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let server: TestServer;
  let knex: any;

  before(async () => {
    server = await startPostgres();
    knex = knexFactory({ client: 'pg', connection: server.url, pool: { min: 0, max: 3 } });
    await knex.raw('CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text)');
    await knex.raw("INSERT INTO items VALUES (1, 'one') ON CONFLICT DO NOTHING");
  });

  after(async () => {
    await knex?.destroy();
    await server?.stop();
  });

  test('each request\'s knex queries are pg spans under it, with the parameterized text knex generated', async () => {
    recorded.clear();
    const requests = await Promise.all(
      // Awaited inside the request: a knex builder runs when its then() is called.
      Array.from({ length: 10 }, (_, n) => inRequest(`GET /items/${n}`, async () => await knex('items').where('id', n % 2 === 0 ? 1 : 2).select('*'))),
    );
    const queries = recorded.spans.filter((s) => s.kind === SpanKind.CLIENT && s.scope.name === 'otel-instrument/pg');
    assert.equal(queries.length, 10, recorded.spans.map((s) => s.name).join(', '));
    for (const { request } of requests) {
      const children = queries.filter((q) => q.parentSpanId === request.spanContext().spanId && q.traceId === request.spanContext().traceId);
      assert.equal(children.length, 1);
      assert.equal(children[0]!.attributes['db.query.text'], 'select * from "items" where "id" = $1');
      assert.equal(children[0]!.attributes['db.system.name'], 'postgresql');
    }
  });
});
