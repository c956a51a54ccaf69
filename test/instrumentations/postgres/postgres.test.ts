// postgres.js against a real PostgreSQL, instrumented in this process through the module hooks: the
// span of each tagged-template, unsafe and transaction query, its attributes and errors, the Query
// object the app keeps, and each request's context through `max: 3` under 20 concurrent requests.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { sqlQuery } from '../../../instrumentations/db/sql-query.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startPostgres, type TestServer } from '../../support/servers/postgres.js';

const recorded = instrumentInProcess(['postgres']);
const tracer = recorded.hooks.telemetryFor('test').tracer;

/* eslint-disable @typescript-eslint/no-explicit-any */
const postgres: any = require('postgres');

async function inRequest<T>(name: string, fn: () => T | Promise<T>): Promise<{ request: Span; result: T }> {
  const request = tracer.startSpan(name, { kind: SpanKind.SERVER });
  const ctx: Context = trace.setSpan(ROOT_CONTEXT, request);
  try {
    const result = await runWithContext(ctx, fn);
    return { request, result };
  } finally {
    request.end();
  }
}

function querySpans(): ReadableSpan[] {
  return recorded.spans.filter((s) => s.kind === SpanKind.CLIENT);
}

describe('postgres.js instrumentation against a real PostgreSQL', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let server: TestServer;
  let sql: any;

  before(async () => {
    server = await startPostgres();
    sql = postgres(server.url, { max: 3, onnotice: () => undefined });
    await sql`CREATE TABLE IF NOT EXISTS pjs_users (id int PRIMARY KEY, name text)`;
    await sql`INSERT INTO pjs_users VALUES (1, 'ada'), (2, 'grace') ON CONFLICT DO NOTHING`;
    recorded.clear();
  });

  after(async () => {
    await sql?.end({ timeout: 5 });
    await server?.stop();
  });

  // The query is made in the request and returned from it: awaited outside, it is still the request's.
  test('a tagged-template query in a request is a CLIENT child with its placeholders kept and the connection attributes', async () => {
    recorded.clear();
    const id = 1;
    const { request, result } = await inRequest('GET /users', () => sql`select name from pjs_users where id = ${id}`);
    assert.equal(result[0].name, 'ada');
    const spans = querySpans();
    assert.equal(spans.length, 1, spans.map((s) => s.name).join(', '));
    const span = spans[0]!;
    const text = 'select name from pjs_users where id = $1';
    assert.equal(span.parentSpanId, request.spanContext().spanId);
    assert.equal(span.attributes['db.query.text'], text);
    assert.equal(span.attributes['db.query.summary'], sqlQuery(text, true).summary);
    assert.equal(span.name, sqlQuery(text, true).summary);
    assert.equal(span.attributes['db.system.name'], 'postgresql');
    assert.equal(span.attributes['db.namespace'], 'postgres');
    assert.equal(span.attributes['server.address'], server.host);
    assert.equal(span.attributes['server.port'], server.port);
    assert.equal(span.attributes['db.query.parameter.0'], undefined);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    const measured = recorded.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
    assert.equal(measured.length, 1);
  });

  test('fragments and identifiers are rendered as postgres.js sends them', async () => {
    recorded.clear();
    const filter = sql`where id = ${2}`;
    await inRequest('r', () => sql`select ${sql('name')} from pjs_users ${filter} and name <> ${'x'}`);
    const [span] = querySpans();
    assert.equal(span?.attributes['db.query.text'], 'select "name" from pjs_users where id = $1 and name <> $2');
  });

  test('an insert helper (sql(object)) gets the driver\'s own text at the end, values as placeholders', async () => {
    recorded.clear();
    await inRequest('r', () => sql`insert into pjs_users ${sql({ id: 3, name: 'secret-linus' })} on conflict do nothing`);
    const [span] = querySpans();
    assert.match(String(span?.attributes['db.query.text']), /^insert into pjs_users \("id","name"\)values\(\$1,\$2\)/);
    assert.doesNotMatch(JSON.stringify(span?.attributes), /secret-linus/);
  });

  test('sql.unsafe without parameters is sanitized; with parameters its text is kept', async () => {
    recorded.clear();
    await inRequest('r', async () => {
      await sql.unsafe("select name from pjs_users where name = 'ada' and id = 1");
      await sql.unsafe('select name from pjs_users where id = $1', [2]);
    });
    const [plain, parameterized] = querySpans();
    assert.equal(plain?.attributes['db.query.text'], sqlQuery("select name from pjs_users where name = 'ada' and id = 1", false).text);
    assert.doesNotMatch(String(plain?.attributes['db.query.text']), /ada/);
    assert.equal(parameterized?.attributes['db.query.text'], 'select name from pjs_users where id = $1');
  });

  test('a failed query is an ERROR span with the SQLSTATE; the app gets the same error object', async () => {
    recorded.clear();
    let rejected: any;
    await inRequest('r', async () => {
      rejected = await sql`select * from no_such_table`.catch((error: unknown) => error);
    });
    assert.ok(rejected instanceof postgres.PostgresError);
    assert.equal(rejected.code, '42P01');
    const [span] = querySpans();
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.attributes['db.response.status_code'], '42P01');
    assert.equal(span?.attributes['error.type'], '42P01');
    assert.equal(span?.events[0]?.name, 'exception');
  });

  test('the app keeps the Query object and its methods (.values(), .raw(), .describe(), .cursor())', async () => {
    recorded.clear();
    await inRequest('r', async () => {
      const query = sql`select id, name from pjs_users where id = ${1}`;
      assert.equal(query.constructor.name, 'Query');
      assert.deepEqual([...(await query.values())], [[1, 'ada']]);
      const raw = await sql`select ${1}::int as n`.raw();
      assert.ok(Buffer.isBuffer(raw[0][0]));
      const described = await sql`select name from pjs_users where id = ${1}`.describe();
      assert.deepEqual(described.types, [23]);
      const batches: unknown[] = [];
      for await (const rows of sql`select id from pjs_users where id < ${3} order by id`.cursor(1)) batches.push(rows[0].id);
      assert.deepEqual(batches, [1, 2]);
    });
    const spans = querySpans();
    assert.equal(spans.length, 4, spans.map((s) => s.name).join(', '));
    assert.ok(spans.every((s) => s.endTime !== undefined));
  });

  test('a transaction\'s queries, begin and commit included, are children of the request', async () => {
    recorded.clear();
    const { request } = await inRequest('POST /users', () =>
      sql.begin(async (tx: any) => {
        await tx`update pjs_users set name = ${'ada'} where id = ${1}`;
        await tx`select name from pjs_users where id = ${1}`;
      }),
    );
    const spans = querySpans();
    assert.deepEqual(
      spans.map((s) => s.attributes['db.query.text']),
      ['begin ', 'update pjs_users set name = $1 where id = $2', 'select name from pjs_users where id = $1', 'commit'].map((t) => sqlQuery(t, t !== 'begin ').text),
    );
    for (const span of spans) assert.equal(span.parentSpanId, request.spanContext().spanId);
  });

  test('20 concurrent requests on max: 3: every query span is under the request that made it', async () => {
    recorded.clear();
    const requests = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        inRequest(`r${n}`, async () => {
          await sql`select pg_sleep(0.01), ${n}::int as n`;
          await sql`select ${n}::int as n`;
        }),
      ),
    );
    const spans = querySpans();
    assert.equal(spans.length, 40);
    for (const { request } of requests) {
      const children = spans.filter((s) => s.parentSpanId === request.spanContext().spanId && s.traceId === request.spanContext().traceId);
      assert.equal(children.length, 2);
    }
  });

  test('a query outside any request makes no span by default but is measured', async () => {
    recorded.clear();
    await sql`select 1`;
    assert.equal(querySpans().length, 0);
    assert.equal(recorded.measurements.filter((m) => m.instrument === 'db.client.operation.duration').length, 1);
  });
});
