// node-postgres against a real PostgreSQL, instrumented in this process through the module hooks:
// the span of each query, its attributes and errors, callbacks and promises, cursors and streams,
// the request's context through a pool of 3 under 50 concurrent requests, and wrong arguments.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { sqlQuery } from '../../../instrumentations/db/sql-query.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { startPostgres, type TestServer } from '../../support/servers/postgres.js';

const recorded = instrumentInProcess(['pg']);
const tracer = recorded.hooks.telemetryFor('test').tracer;

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pg = any;
const pg: Pg = require('pg');
const Cursor: any = require('pg-cursor');
const QueryStream: any = require('pg-query-stream');

/** Runs fn inside a fresh request span; the span is returned with fn's result. */
async function inRequest<T>(name: string, fn: (span: Span) => T | Promise<T>): Promise<{ request: Span; result: T }> {
  const request = tracer.startSpan(name, { kind: SpanKind.SERVER });
  const ctx: Context = trace.setSpan(ROOT_CONTEXT, request);
  try {
    const result = await runWithContext(ctx, () => fn(request));
    return { request, result };
  } finally {
    request.end();
  }
}

function querySpans(): ReadableSpan[] {
  return recorded.spans.filter((s) => s.kind === SpanKind.CLIENT);
}

function activeSpanId(): string | undefined {
  return trace.getSpan(activeContext())?.spanContext().spanId;
}

describe('pg instrumentation against a real PostgreSQL', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let server: TestServer;
  let client: Pg;

  before(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, customer text)');
    await client.query("INSERT INTO orders VALUES (1, 'ada'), (2, 'grace') ON CONFLICT DO NOTHING");
    recorded.clear();
  });

  after(async () => {
    await client?.end();
    await server?.stop();
  });

  test('a text query in a request is a CLIENT child named by its summary, literals sanitized, with the connection attributes', async () => {
    recorded.clear();
    const text = "SELECT customer FROM orders WHERE customer = 'ada' AND id = 1";
    const { request, result } = await inRequest('GET /orders', () => client.query(text));
    assert.deepEqual(result.rows, [{ customer: 'ada' }]);
    const [span] = querySpans();
    assert.ok(span);
    const expected = sqlQuery(text, false);
    assert.equal(span.parentSpanId, request.spanContext().spanId);
    assert.equal(span.name, expected.summary ?? 'postgres');
    assert.equal(span.attributes['db.system.name'], 'postgresql');
    assert.equal(span.attributes['db.namespace'], 'postgres');
    assert.equal(span.attributes['server.address'], server.host);
    assert.equal(span.attributes['server.port'], server.port);
    assert.equal(span.attributes['db.query.text'], expected.text);
    assert.equal(span.attributes['db.query.summary'], expected.summary);
    assert.doesNotMatch(String(span.attributes['db.query.text']), /ada/);
    assert.equal(span.attributes['db.operation.name'], undefined, 'pg gives no operation name: none is parsed from the text');
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    const measured = recorded.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
    assert.equal(measured.length, 1);
    assert.equal(measured[0]!.attributes['db.system.name'], 'postgresql');
    assert.equal(measured[0]!.attributes['db.query.text'], undefined, 'the query text is the span\'s alone');
  });

  test('parameterized queries keep their text as given, in both call forms, values not recorded', async () => {
    recorded.clear();
    const text = 'SELECT customer FROM orders WHERE id = $1';
    await inRequest('r', async () => {
      assert.equal((await client.query(text, [2])).rows[0].customer, 'grace');
      assert.equal((await client.query({ text, values: [1] })).rows[0].customer, 'ada');
    });
    const spans = querySpans();
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.attributes['db.query.text'], sqlQuery(text, true).text);
      assert.equal(span.attributes['db.query.parameter.0'], undefined);
    }
  });

  test('a callback runs after its span ended, in the caller\'s context, with pg\'s own arguments', async () => {
    recorded.clear();
    const { request, result } = await inRequest('r', () =>
      new Promise<{ spanId: string | undefined; ended: number; rows: unknown[]; returned: unknown }>((resolve, reject) => {
        let returned: unknown = 'not set';
        returned = client.query('SELECT $1::int AS n', [7], (error: Error | null, res: { rows: unknown[] }) => {
          if (error) return reject(error);
          resolve({ spanId: activeSpanId(), ended: querySpans().length, rows: res.rows, returned });
        });
      }),
    );
    assert.equal(result.spanId, request.spanContext().spanId);
    assert.equal(result.ended, 1);
    assert.deepEqual(result.rows, [{ n: 7 }]);
    assert.equal(result.returned, undefined, 'a query with a callback returns nothing, as without us');
  });

  test('a named prepared statement gets a span per execution, with its text', async () => {
    recorded.clear();
    const statement = { name: 'order-by-id', text: 'SELECT customer FROM orders WHERE id = $1', values: [1] };
    await inRequest('r', async () => {
      await client.query(statement);
      await client.query({ ...statement, values: [2] });
    });
    const spans = querySpans();
    assert.equal(spans.length, 2);
    for (const span of spans) assert.equal(span.attributes['db.query.text'], statement.text);
  });

  test('a failed query is an ERROR span with the SQLSTATE; the app gets the very same error, by promise and by callback', async () => {
    recorded.clear();
    let rejected: any;
    let calledBack: any;
    await inRequest('r', async () => {
      rejected = await client.query('SELECT * FROM no_such_table').then(
        () => assert.fail('should reject'),
        (error: unknown) => error,
      );
      calledBack = await new Promise((resolve) => client.query('SELEC 1', (error: unknown) => resolve(error)));
    });
    assert.ok(rejected instanceof pg.DatabaseError);
    assert.equal(rejected.code, '42P01');
    assert.equal(calledBack.code, '42601');
    const [missing, syntax] = querySpans();
    for (const [span, code, error] of [[missing!, '42P01', rejected], [syntax!, '42601', calledBack]] as const) {
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.attributes['db.response.status_code'], code);
      assert.equal(span.attributes['error.type'], code);
      assert.equal(span.events[0]?.name, 'exception');
      assert.equal(span.events[0]?.attributes?.['exception.message'], error.message);
    }
  });

  test('values the server repeats in an error message are redacted in the span; the app gets the message whole', async () => {
    recorded.clear();
    const errors: any[] = [];
    await inRequest('r', async () => {
      for (const sql of ["SELECT * FROM orders WHERE id = 'secret-number'", "SELECT 'a' 'secret-token'"]) {
        errors.push(await client.query(sql).then(() => assert.fail('should reject'), (error: unknown) => error));
      }
    });
    assert.equal(errors[0].message, 'invalid input syntax for type integer: "secret-number"');
    assert.equal(errors[1].message, `syntax error at or near "'secret-token'"`);
    const spans = querySpans();
    assert.deepEqual(
      spans.map((span) => span.events[0]?.attributes?.['exception.message']),
      ['invalid input syntax for type integer: "?"', `syntax error at or near "'?'"`],
    );
    for (const span of spans) assert.doesNotMatch(JSON.stringify([span.events, span.status]), /secret-/);
  });

  test('a Cursor and a QueryStream are each one span, ended when pg is done with them', async () => {
    recorded.clear();
    await inRequest('r', async () => {
      const cursor = client.query(new Cursor('SELECT id FROM orders ORDER BY id'));
      const rows = await cursor.read(10);
      assert.deepEqual(rows, [{ id: 1 }, { id: 2 }]);
      await cursor.close();
      const stream = client.query(new QueryStream('SELECT id FROM orders WHERE id = $1', [2]));
      const streamed: unknown[] = [];
      for await (const row of stream) streamed.push(row);
      assert.deepEqual(streamed, [{ id: 2 }]);
    });
    await waitForSpans(recorded.spans, 2);
    const spans = querySpans();
    assert.equal(spans.length, 2);
    assert.equal(spans[0]!.attributes['db.query.text'], sqlQuery('SELECT id FROM orders ORDER BY id', false).text);
    assert.equal(spans[1]!.attributes['db.query.text'], 'SELECT id FROM orders WHERE id = $1');
  });

  test('a Cursor\'s read and close callbacks run in the request that called them', async () => {
    recorded.clear();
    const seen: Array<string | undefined> = [];
    const { request } = await inRequest('r', async () => {
      const cursor = client.query(new Cursor('SELECT generate_series(1, 3) AS n'));
      await new Promise<void>((resolve, reject) =>
        cursor.read(2, (error: unknown) => {
          seen.push(activeSpanId());
          if (error) return reject(error);
          cursor.close((closeError: unknown) => {
            seen.push(activeSpanId());
            return closeError ? reject(closeError) : resolve();
          });
        }),
      );
    });
    assert.deepEqual(seen, [request.spanContext().spanId, request.spanContext().spanId]);
  });

  test('50 concurrent requests on a pool of 3: every query span is a child of its own request, waiting ones included', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 3 });
    try {
      recorded.clear();
      const requests = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          inRequest(`request ${i}`, async (request) => {
            const mine = request.spanContext().spanId;
            const form = i % 3;
            if (form === 0) {
              await pool.query('SELECT pg_sleep(0.005), $1::int AS i', [i]);
            } else if (form === 1) {
              await new Promise<void>((resolve, reject) =>
                pool.query('SELECT pg_sleep(0.005), $1::int AS i', [i], (error: Error | undefined) => {
                  if (activeSpanId() !== mine) reject(new Error(`callback ${i} ran in another context`));
                  return error ? reject(error) : resolve();
                }),
              );
            } else {
              await new Promise<void>((resolve, reject) =>
                pool.connect((error: Error | undefined, pooled: Pg, release: () => void) => {
                  if (error) return reject(error);
                  if (activeSpanId() !== mine) reject(new Error(`connect callback ${i} ran in another context`));
                  pooled.query('SELECT pg_sleep(0.005), $1::int AS i', [i]).then(() => {
                    release();
                    resolve();
                  }, reject);
                }),
              );
            }
            assert.equal(activeSpanId(), mine, `request ${i} continued in its own context`);
            return i;
          }),
        ),
      );
      const spans = querySpans();
      assert.equal(spans.length, 50);
      const byParent = new Map(spans.map((s) => [s.parentSpanId, s]));
      for (const { request } of requests) {
        const span = byParent.get(request.spanContext().spanId);
        assert.ok(span, `a query span under ${request.spanContext().spanId}`);
        assert.equal(span.traceId, request.spanContext().traceId);
      }
      assert.ok(spans.every((s) => s.attributes['db.namespace'] === 'postgres' && s.attributes['server.port'] === server.port));
      assert.equal(recorded.spans.filter((s) => s.parentSpanId === undefined && s.kind === SpanKind.CLIENT).length, 0, 'no root spans from the pool');
    } finally {
      await pool.end();
    }
  });

  test('a query outside any request starts no trace but is measured', async () => {
    recorded.clear();
    await client.query('SELECT 1');
    assert.equal(querySpans().length, 0);
    assert.equal(recorded.measurements.filter((m) => m.instrument === 'db.client.operation.duration').length, 1);
  });

  test('wrong arguments throw or reject exactly what pg does without us', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    const clientQuery = pg.Client.prototype.query;
    const poolQuery = Object.getPrototypeOf(pg.Pool.prototype).query;
    assert.equal(typeof clientQuery.__original, 'function', 'Client#query is instrumented');
    const outcome = async (fn: () => unknown) => {
      try {
        const value = await fn();
        return { value };
      } catch (error) {
        return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
      }
    };
    try {
      await inRequest('r', async () => {
        for (const args of [[undefined], [null], [123], ['SELECT 1', [], 'not a function']]) {
          const ours = await outcome(() => clientQuery.apply(client, args));
          const theirs = await outcome(() => clientQuery.__original.apply(client, args));
          assert.deepEqual(ours, theirs, `client.query(${args.map(String).join(', ')})`);
          // pg-pool itself throws an uncaught TypeError later for a callback that is no function: not compared.
          if (args.length > 1) continue;
          const oursPool = await outcome(() => poolQuery.apply(pool, args));
          const theirsPool = await outcome(() => poolQuery.__original.apply(pool, args));
          assert.deepEqual(oursPool, theirsPool, `pool.query(${args.map(String).join(', ')})`);
        }
      });
    } finally {
      await pool.end();
    }
  });
});
