// SQLite in this process, through the real module hooks, on in-memory databases: better-sqlite3
// (where its native addon loads in the running Node) and node:sqlite (Node 22.13+). One CLIENT span
// per execution, never per prepare, in the trace of the request that ran it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context, Span } from '@opentelemetry/api';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

// Installed before either driver is first required, as the bootstrap does.
const inProcess = instrumentInProcess(['sqlite']);
const requestTracer = inProcess.hooks.telemetryFor('test-requests').tracer;

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  function(name: string, fn: () => unknown): unknown;
  close(): void;
}
interface Driver {
  readonly name: string;
  /** Undefined when the driver does not load in this Node: why, in one line. */
  readonly skip: string | undefined;
  open(): Database;
  /** What a UNIQUE violation on a primary key reports as db.response.status_code. */
  readonly uniqueCode: string;
}

function load(id: string): unknown {
  try {
    return require(id) as unknown;
  } catch {
    return undefined;
  }
}

const BetterSqlite3 = load('better-sqlite3') as (new (file: string) => Database) | undefined;
// A binary built for another Node fails on its first database, not on require.
let betterSkip: string | undefined = BetterSqlite3 === undefined ? 'better-sqlite3 is not installed' : undefined;
if (BetterSqlite3 !== undefined) {
  try {
    new BetterSqlite3(':memory:').close();
  } catch {
    betterSkip = `better-sqlite3's native addon was not built for Node ${process.versions.node}`;
  }
}
const nodeSqlite = load('node:sqlite') as { DatabaseSync: new (file: string) => Database } | undefined;

const DRIVERS: readonly Driver[] = [
  { name: 'better-sqlite3', skip: betterSkip, open: () => new BetterSqlite3!(':memory:'), uniqueCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
  { name: 'node:sqlite', skip: nodeSqlite === undefined ? 'node:sqlite needs Node 22.13+' : undefined, open: () => new nodeSqlite!.DatabaseSync(':memory:'), uniqueCode: '1555' },
];

function request(): { span: Span; context: Context; run<T>(fn: () => T): T } {
  const span = requestTracer.startSpan('GET /items/:id', { kind: SpanKind.SERVER });
  const context = trace.setSpan(ROOT_CONTEXT, span);
  return { span, context, run: (fn) => runWithContext(context, fn) };
}

function dbSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.scope.name === 'otel-instrument/sqlite');
}

function withItems(driver: Driver): Database {
  const db = driver.open();
  db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')");
  inProcess.clear();
  return db;
}

for (const driver of DRIVERS) {
  describe(`${driver.name} under the sqlite instrumentation`, { skip: driver.skip }, () => {
    test('a get with parameters in a request is its CLIENT child with the conventions\' attributes, and the app gets the same row', () => {
      const db = withItems(driver);
      const req = request();
      const row = req.run(() => db.prepare('SELECT name FROM items WHERE id = ?').get(2));
      req.span.end();
      assert.deepEqual({ ...(row as object) }, { name: 'pear' });
      const [span, ...more] = dbSpans();
      assert.equal(more.length, 0);
      assert.equal(span!.kind, SpanKind.CLIENT);
      assert.equal(span!.parentSpanId, req.span.spanContext().spanId);
      assert.equal(span!.traceId, req.span.spanContext().traceId);
      assert.equal(span!.name, 'SELECT items');
      // No db.namespace (the conventions define none for SQLite) and no server.
      assert.deepEqual(span!.attributes, {
        'db.system.name': 'sqlite',
        'db.query.summary': 'SELECT items',
        'db.query.text': 'SELECT name FROM items WHERE id = ?',
      });
      assert.equal(span!.status.code, SpanStatusCode.UNSET);
      const measured = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
      assert.deepEqual(measured.map((m) => m.attributes), [{ 'db.system.name': 'sqlite', 'db.query.summary': 'SELECT items' }]);
      db.close();
    });

    test('prepare makes no span; each run, get and all of a statement makes one', () => {
      const db = withItems(driver);
      const req = request();
      req.run(() => {
        const insert = db.prepare('INSERT INTO items (id, name) VALUES (?, ?)');
        assert.equal(dbSpans().length, 0);
        insert.run(10, 'fig');
        insert.run(11, 'kiwi');
        const select = db.prepare('SELECT id FROM items WHERE id > ?');
        assert.equal(select.all(9).length, 2);
        assert.ok(select.get(10) !== undefined);
      });
      req.span.end();
      assert.deepEqual(
        dbSpans().map((s) => [s.name, s.parentSpanId]),
        [
          ['INSERT items', req.span.spanContext().spanId],
          ['INSERT items', req.span.spanContext().spanId],
          ['SELECT items', req.span.spanContext().spanId],
          ['SELECT items', req.span.spanContext().spanId],
        ],
      );
      db.close();
    });

    test('text run without parameters (a statement or exec) is recorded without its literals', () => {
      const db = withItems(driver);
      const req = request();
      req.run(() => {
        db.prepare("SELECT id FROM items WHERE name = 'plum' AND id > 2").all();
        db.exec("UPDATE items SET name = 'secret-42' WHERE id = 1");
      });
      req.span.end();
      const texts = dbSpans().map((s) => String(s.attributes['db.query.text']));
      assert.deepEqual(texts, ['SELECT id FROM items WHERE name = ? AND id > ?', 'UPDATE items SET name = ? WHERE id = ?']);
      assert.deepEqual(
        dbSpans().map((s) => s.name),
        ['SELECT items', 'UPDATE items'],
      );
      db.close();
    });

    test('a failed execution is an ERROR span with the SQLite code, and the app gets the driver\'s error', () => {
      const db = withItems(driver);
      const req = request();
      const thrown = req.run(() => {
        try {
          db.prepare('INSERT INTO items (id, name) VALUES (?, ?)').run(1, 'again');
        } catch (error) {
          return error as { message: string };
        }
        return undefined;
      });
      req.span.end();
      assert.match(thrown!.message, /UNIQUE constraint failed: items\.id/);
      const [span] = dbSpans();
      assert.equal(span!.status.code, SpanStatusCode.ERROR);
      assert.equal(span!.attributes['db.response.status_code'], driver.uniqueCode);
      assert.equal(span!.attributes['error.type'], driver.uniqueCode);
      assert.equal(span!.events[0]?.name, 'exception');
      db.close();
    });

    test('an error thrown through the driver reaches the app as the very same object', () => {
      const db = withItems(driver);
      const mine = new Error('from a user function');
      db.function('boom', () => {
        throw mine;
      });
      const req = request();
      assert.throws(() => req.run(() => db.prepare('SELECT boom()').get()), (error) => error === mine);
      assert.throws(() => req.run(() => db.exec('SELECT boom()')), (error) => error === mine);
      req.span.end();
      assert.deepEqual(
        dbSpans().map((s) => [s.status.code, s.attributes['error.type']]),
        [
          [SpanStatusCode.ERROR, 'Error'],
          [SpanStatusCode.ERROR, 'Error'],
        ],
      );
      db.close();
    });

    test('iterate: the span ends when the iterator is exhausted, returned early, or throws', () => {
      const db = withItems(driver);
      const req = request();
      req.run(() => {
        const iterator = db.prepare('SELECT id FROM items WHERE id >= ?').iterate(1);
        assert.equal(dbSpans().length, 0, 'no span before the rows are read');
        const ids: unknown[] = [];
        for (const row of iterator) ids.push((row as { id: unknown }).id);
        assert.deepEqual(ids, [1, 2, 3]);
        assert.equal(dbSpans().length, 1, 'exhausted');
        for (const row of db.prepare('SELECT id FROM items').iterate()) {
          assert.ok(row);
          break;
        }
        assert.equal(dbSpans().length, 2, 'returned by break');
      });
      const mine = new Error('in the third row');
      let calls = 0;
      db.function('third', () => {
        if (++calls === 3) throw mine;
        return calls;
      });
      assert.throws(
        () => req.run(() => [...db.prepare('SELECT third() FROM items').iterate()]),
        (error) => error === mine,
      );
      req.span.end();
      const spans = dbSpans();
      assert.equal(spans.length, 3);
      assert.ok(spans.every((s) => s.parentSpanId === req.span.spanContext().spanId));
      assert.equal(spans[2]!.status.code, SpanStatusCode.ERROR);
      db.close();
    });

    test('a call outside any request starts no trace but is measured', () => {
      const db = withItems(driver);
      db.prepare('SELECT 1').get();
      assert.equal(dbSpans().length, 0);
      assert.equal(inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration').length, 1);
      db.close();
    });

    test('wrong arguments throw exactly what the driver throws, and make no span', () => {
      const db = withItems(driver);
      const statement = db.prepare('SELECT 1');
      const proto = Object.getPrototypeOf(statement) as Record<string, { __original?: Function }>;
      const dbProto = Object.getPrototypeOf(db) as Record<string, { __original?: Function }>;
      const messageOf = (fn: () => unknown): string => {
        try {
          fn();
        } catch (error) {
          return `${(error as Error).constructor.name}: ${(error as Error).message}`;
        }
        return 'no error';
      };
      const req = request();
      req.run(() => {
        for (const method of ['run', 'get', 'all', 'iterate']) {
          const original = proto[method]!.__original!;
          assert.ok(original, `${method} is wrapped`);
          assert.equal(messageOf(() => (proto[method] as unknown as Function).call({})), messageOf(() => original.call({})), method);
        }
        const exec = dbProto['exec'] as unknown as Function;
        assert.equal(messageOf(() => exec.call(db, 42)), messageOf(() => (exec as { __original?: Function }).__original!.call(db, 42)));
        assert.notEqual(messageOf(() => exec.call(db, 42)), 'no error');
      });
      req.span.end();
      assert.equal(dbSpans().length, 0);
      db.close();
    });
  });
}
