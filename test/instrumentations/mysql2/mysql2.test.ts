// mysql2 3.x in this process, through the real module hooks, against a real MariaDB (a throwaway
// mariadbd, or OTEL_TEST_MYSQL_URL): one CLIENT span per query and execute, whichever API issued it
// (callbacks, the promise API, pools, streams), in the trace of the request that issued it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context, Span } from '@opentelemetry/api';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startMariaDb, type TestServer } from '../../support/servers/mariadb.js';

// Installed before mysql2 is first required, as the bootstrap does.
const inProcess = instrumentInProcess(['mysql2']);
const requestTracer = inProcess.hooks.telemetryFor('test-requests').tracer;

type Mysql2 = typeof import('mysql2');
type Mysql2Promise = typeof import('mysql2/promise');

let server: TestServer;
let mysql: Mysql2;
let mysqlPromise: Mysql2Promise;
let options: { host: string; port: number; user: string; password?: string; database: string };

/** A request span, ended by the caller; `run` makes it active. */
function request(name = 'GET /orders/:id'): { span: Span; context: Context; run<T>(fn: () => T): T } {
  const span = requestTracer.startSpan(name, { kind: SpanKind.SERVER });
  const context = trace.setSpan(ROOT_CONTEXT, span);
  return { span, context, run: (fn) => runWithContext(context, fn) };
}

function dbSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.scope.name === 'otel-instrument/mysql2');
}

async function waitForDbSpans(count: number): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5000;
  while (dbSpans().length < count) {
    if (Date.now() > deadline) throw new Error(`${dbSpans().length}/${count} mysql2 spans ended`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return dbSpans();
}

function connect(): Promise<import('mysql2').Connection> {
  const connection = mysql.createConnection(options);
  return new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve(connection))));
}

describe('mysql2 against a real MariaDB', { skip: skipWithout('mariadbd', 'mariadb-server') }, () => {
  before(async () => {
    server = await startMariaDb();
    const url = new URL(server.url);
    options = {
      host: server.host,
      port: server.port,
      user: decodeURIComponent(url.username || 'root'),
      ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
      database: url.pathname.slice(1),
    };
    mysql = require('mysql2') as Mysql2;
    mysqlPromise = require('mysql2/promise') as Mysql2Promise;
    const setup = await mysqlPromise.createConnection(options);
    await setup.query('CREATE TABLE IF NOT EXISTS otel_items (id INT PRIMARY KEY, name VARCHAR(64))');
    await setup.query("REPLACE INTO otel_items VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')");
    await setup.end();
    inProcess.clear();
  });

  after(async () => {
    await server?.stop();
  });

  test('a callback query in a request is its CLIENT child with the conventions\' attributes; the callback runs in the request', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    const seen = await new Promise<{ rows: unknown; active: Span | undefined }>((resolve, reject) =>
      req.run(() =>
        connection.query('SELECT name FROM otel_items WHERE id = ?', [2], (error, rows) => (error ? reject(error) : resolve({ rows, active: trace.getSpan(activeContext()) }))),
      ),
    );
    req.span.end();
    connection.end();
    assert.deepEqual(seen.rows, [{ name: 'pear' }]);
    assert.equal(seen.active, req.span);
    const [span] = await waitForDbSpans(1);
    assert.equal(span!.kind, SpanKind.CLIENT);
    assert.equal(span!.parentSpanId, req.span.spanContext().spanId);
    assert.equal(span!.name, 'SELECT otel_items');
    assert.deepEqual(span!.attributes, {
      'db.system.name': 'mariadb',
      'db.namespace': options.database,
      'db.query.summary': 'SELECT otel_items',
      'db.query.text': 'SELECT name FROM otel_items WHERE id = ?',
      'server.address': options.host,
      'server.port': options.port,
    });
    assert.equal(span!.status.code, SpanStatusCode.UNSET);
  });

  test('query text with literals and no values is recorded without them', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    await new Promise((resolve, reject) =>
      req.run(() => connection.query("SELECT id FROM otel_items WHERE name = 'plum' AND id > 2", (error, rows) => (error ? reject(error) : resolve(rows)))),
    );
    req.span.end();
    connection.end();
    const [span] = await waitForDbSpans(1);
    const text = String(span!.attributes['db.query.text']);
    assert.doesNotMatch(text, /plum|> 2/);
    assert.match(text, /^SELECT id FROM otel_items WHERE name = \? AND id > \?$/);
  });

  test('a failed query is an ERROR span with the MySQL error number, and the app gets the error mysql2 made', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    const error = await new Promise<NodeJS.ErrnoException & { errno?: number; sqlState?: string }>((resolve) =>
      req.run(() => connection.query('SELECT * FROM otel_missing', (err) => resolve(err as never))),
    );
    req.span.end();
    connection.end();
    assert.equal(error.errno, 1146);
    assert.equal(error.code, 'ER_NO_SUCH_TABLE');
    const [span] = await waitForDbSpans(1);
    assert.equal(span!.status.code, SpanStatusCode.ERROR);
    assert.equal(span!.attributes['db.response.status_code'], '1146');
    assert.equal(span!.attributes['error.type'], '1146');
    assert.equal(span!.events[0]?.name, 'exception');
    assert.equal(span!.events[0]?.attributes?.['exception.message'], error.message);
    const measured = inProcess.measurements.find((m) => m.instrument === 'db.client.operation.duration' && m.attributes['error.type'] === '1146');
    assert.ok(measured, 'the failure is measured with its error.type');
  });

  test('values the server repeats in an error message are redacted in the span; the app gets the message whole', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    const errors = await req.run(() =>
      Promise.all(
        ["INSERT INTO otel_items VALUES (1, 'secret-dup')", "SELECT * FROM otel_items WHERE WHERE name = 'secret-syntax'"].map(
          (sql) => new Promise<Error>((resolve) => connection.query(sql, (err) => resolve(err as Error))),
        ),
      ),
    );
    req.span.end();
    connection.end();
    assert.match(errors[0]!.message, /^Duplicate entry '1' for key/);
    assert.match(errors[1]!.message, /secret-syntax/);
    const spans = await waitForDbSpans(2);
    assert.deepEqual(
      spans.map((span) => span.events[0]?.attributes?.['exception.message']),
      [errors[0]!.message.replace("'1'", "'?'"), errors[1]!.message.replace(/ near '[\s\S]*' at line/, " near '?' at line")],
    );
    for (const span of spans) {
      assert.doesNotMatch(JSON.stringify(span.events), /secret-|entry '1'/);
      assert.doesNotMatch(span.status.message ?? '', /secret-|entry '1'/);
    }
  });

  test('execute is a span with its template kept; the duration metric carries the span\'s attributes but never the text', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    const rows = await new Promise((resolve, reject) =>
      req.run(() => connection.execute('SELECT id FROM otel_items WHERE name = ?', ['apple'], (error, result) => (error ? reject(error) : resolve(result)))),
    );
    req.span.end();
    connection.end();
    assert.deepEqual(rows, [{ id: 1 }]);
    const [span] = await waitForDbSpans(1);
    assert.equal(span!.attributes['db.query.text'], 'SELECT id FROM otel_items WHERE name = ?');
    assert.equal(span!.parentSpanId, req.span.spanContext().spanId);
    const measured = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
    assert.equal(measured.length, 1);
    assert.equal(measured[0]!.attributes['db.system.name'], 'mariadb');
    assert.equal(measured[0]!.attributes['db.query.summary'], 'SELECT otel_items');
    assert.equal(measured[0]!.attributes['db.query.text'], undefined);
  });

  test('the promise API (createConnection, query, execute) gives child spans, and code after await runs in the request', async () => {
    inProcess.clear();
    const connection = await mysqlPromise.createConnection(options);
    const req = request();
    const active = await req.run(async () => {
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM otel_items');
      assert.deepEqual(rows, [{ n: 3 }]);
      await connection.execute('SELECT name FROM otel_items WHERE id = ?', [3]);
      await assert.rejects(connection.query('SELEC nonsense'), (error: { errno?: number }) => error.errno === 1064);
      return trace.getSpan(activeContext());
    });
    req.span.end();
    await connection.end();
    assert.equal(active, req.span);
    const spans = await waitForDbSpans(3);
    assert.deepEqual(
      spans.map((span) => [span.parentSpanId, span.attributes['db.query.text'], span.attributes['db.response.status_code']]),
      [
        [req.span.spanContext().spanId, 'SELECT COUNT(*) AS n FROM otel_items', undefined],
        [req.span.spanContext().spanId, 'SELECT name FROM otel_items WHERE id = ?', undefined],
        [req.span.spanContext().spanId, 'SELEC nonsense', '1064'],
      ],
    );
  });

  test('a streamed query ends its span with the stream, and the emitter\'s listeners run in the request', async () => {
    inProcess.clear();
    const connection = await connect();
    const req = request();
    const names: string[] = [];
    let activeInListener: Span | undefined;
    await req.run(async () => {
      for await (const row of connection.query('SELECT name FROM otel_items ORDER BY id').stream()) names.push((row as { name: string }).name);
      await new Promise<void>((resolve) => {
        connection
          .query('SELECT * FROM otel_nowhere')
          .on('error', () => {
            activeInListener = trace.getSpan(activeContext());
          })
          .on('end', () => resolve());
      });
    });
    req.span.end();
    connection.end();
    assert.deepEqual(names, ['apple', 'pear', 'plum']);
    assert.equal(activeInListener, req.span);
    const spans = await waitForDbSpans(2);
    assert.equal(spans[0]!.parentSpanId, req.span.spanContext().spanId);
    assert.equal(spans[0]!.status.code, SpanStatusCode.UNSET);
    assert.equal(spans[1]!.status.code, SpanStatusCode.ERROR);
    assert.equal(spans[1]!.attributes['db.response.status_code'], '1146');
  });

  test('50 concurrent requests on a pool of 3: every query span is the child of the request that issued it, queued ones too', async () => {
    inProcess.clear();
    const pool = mysql.createPool({ ...options, connectionLimit: 3 });
    const promisePool = pool.promise();
    const requests = Array.from({ length: 50 }, (_, i) => request(`GET /r/${i}`));
    const wrongContext: number[] = [];
    await Promise.all(
      requests.map((req, i) =>
        req.run(async () => {
          const check = (): void => {
            if (trace.getSpan(activeContext()) !== req.span) wrongContext.push(i);
          };
          switch (i % 4) {
            case 0:
              await new Promise((resolve, reject) =>
                pool.query('SELECT SLEEP(0.005), ? AS i', [i], (error, rows) => {
                  check();
                  return error ? reject(error) : resolve(rows);
                }),
              );
              break;
            case 1:
              await promisePool.execute('SELECT SLEEP(0.005), ? AS i', [i]);
              break;
            case 2:
              await promisePool.query('SELECT SLEEP(0.005), ? AS i', [i]);
              break;
            default: {
              const connection = await promisePool.getConnection();
              try {
                await connection.query('SELECT SLEEP(0.005), ? AS i', [i]);
              } finally {
                connection.release();
              }
            }
          }
          check();
          req.span.end();
        }),
      ),
    );
    await pool.promise().end();
    assert.deepEqual(wrongContext, []);
    const spans = await waitForDbSpans(50);
    assert.equal(spans.length, 50);
    const requestOf = new Map(requests.map((req, i) => [req.span.spanContext().spanId, i]));
    for (const span of spans) {
      assert.equal(span.traceId, requests[requestOf.get(span.parentSpanId!)!]?.span.spanContext().traceId, `${span.name} has a request parent`);
    }
    assert.deepEqual(
      [...new Set(spans.map((span) => span.parentSpanId))].length,
      50,
      'one query span per request, each under its own request',
    );
  });

  test('a PoolCluster query is the child of the request that issued it', async () => {
    inProcess.clear();
    const cluster = mysql.createPoolCluster();
    cluster.add('a', { ...options, connectionLimit: 1 });
    const requests = Array.from({ length: 4 }, (_, i) => request(`GET /c/${i}`));
    await Promise.all(
      requests.map((req) =>
        req.run(() => new Promise((resolve, reject) => cluster.of('*').query('SELECT SLEEP(0.005)', (error: unknown, rows: unknown) => (error ? reject(error) : resolve(rows))))),
      ),
    );
    for (const req of requests) req.span.end();
    await new Promise<void>((resolve) => cluster.end(() => resolve()));
    const spans = await waitForDbSpans(4);
    assert.deepEqual(new Set(spans.map((span) => span.parentSpanId)), new Set(requests.map((req) => req.span.spanContext().spanId)));
  });

  test('a query outside any request starts no trace but is measured', async () => {
    inProcess.clear();
    const connection = await connect();
    await new Promise((resolve, reject) => connection.query('SELECT 1', (error, rows) => (error ? reject(error) : resolve(rows))));
    connection.end();
    assert.equal(dbSpans().length, 0);
    assert.equal(inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration').length, 1);
  });

  test('wrong arguments throw exactly what mysql2 throws unpatched', async () => {
    type Patched = Record<string, { __original?: Function }>;
    const original = (instance: object, name: string): Function => {
      let owner = Object.getPrototypeOf(instance) as Patched | null;
      while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, name)) owner = Object.getPrototypeOf(owner) as Patched | null;
      const fn = owner?.[name];
      assert.ok(fn?.__original, `${name} is patched`);
      return fn.__original;
    };
    const outcome = (fn: () => unknown): unknown => {
      try {
        fn();
        return 'no throw';
      } catch (error) {
        return error instanceof Error ? [error.constructor, error.message] : error;
      }
    };
    const cases: [string, unknown[]][] = [
      ['query', []],
      ['query', [undefined]],
      ['query', [null]],
      ['execute', []],
      ['execute', ['SELECT ?', [undefined], () => undefined]],
      ['execute', ['SELECT ?', { a: 1 }, () => undefined]],
      ['execute', ['SELECT ?', [() => 1], () => undefined]],
    ];
    const req = request();
    for (const [name, args] of cases) {
      // A throw may leave the connection unusable: a fresh one for each side.
      const [unpatchedOn, patchedOn] = [await connect(), await connect()];
      unpatchedOn.on('error', () => undefined);
      patchedOn.on('error', () => undefined);
      const unpatched = outcome(() => original(unpatchedOn, name).apply(unpatchedOn, args));
      const patched = req.run(() => outcome(() => (patchedOn as unknown as Record<string, Function>)[name]!(...args)));
      assert.deepEqual(patched, unpatched, `${name}(${args.map(String).join(', ')})`);
      assert.notEqual(patched, 'no throw');
      unpatchedOn.destroy();
      patchedOn.destroy();
    }
    req.span.end();
  });
});
