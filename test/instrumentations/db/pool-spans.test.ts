// OTEL_NODE_DB_POOL_SPANS=true: each wait for a pooled connection is a `pool acquire` span in the trace
// that asked (pg-pool, mysql2, mongodb), against real servers; a wait outside any trace makes none. The
// operation's own span counts the wait too, as the conventions' span duration asks, setting or not.
// Off by default: the other database tests list every span they get and would see these.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { skipWithout } from '../../support/debian-program.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { startMariaDb } from '../../support/servers/mariadb.js';
import { skipWithoutMongoDb, startMongoDb } from '../../support/servers/mongodb.js';
import { startPostgres } from '../../support/servers/postgres.js';
import type { TestServer } from '../../support/servers/redis.js';

const inProcess = instrumentInProcess(['pg', 'mysql2', 'mongodb'], { OTEL_NODE_DB_POOL_SPANS: 'true' });
const tracer = inProcess.hooks.telemetryFor('test-requests').tracer;

function inRequest(): { ctx: Context; spanId: string; end(): void } {
  const span = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
  return { ctx: trace.setSpan(ROOT_CONTEXT, span), spanId: span.spanContext().spanId, end: () => span.end() };
}

function poolSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.name === 'pool acquire');
}

/** `a` started before `b` ended: `a` was waiting while `b` ran. */
function startsBeforeEnd(a: ReadableSpan, b: ReadableSpan): boolean {
  return a.startTime[0] < b.endTime[0] || (a.startTime[0] === b.endTime[0] && a.startTime[1] < b.endTime[1]);
}

function spanById(id: string | undefined): ReadableSpan | undefined {
  return inProcess.spans.find((span) => span.spanId === id);
}

describe('pg-pool', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let server: TestServer;
  let pool: any;

  before(async () => {
    server = await startPostgres();
    const { Pool } = require('pg');
    pool = new Pool({ connectionString: server.url, max: 1 });
    // The server's shutdown at teardown can reach a client pg-pool has not closed yet (57P01): an app
    // listens on the pool for that, or the pool's 'error' ends the process.
    pool.on('error', (err: { code?: string }) => {
      if (err.code !== '57P01') throw err;
    });
  });

  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('a pool query\'s wait is a child of its query span; the app\'s own pool.connect() one of its request', async () => {
    inProcess.clear();
    const request = inRequest();
    await runWithContext(request.ctx, async () => {
      // Pool of one: the second query waits for the first's connection.
      await Promise.all([pool.query('SELECT pg_sleep(0.05)'), pool.query('SELECT 1')]);
      const client = await pool.connect();
      client.release();
    });
    request.end();
    await waitForSpans(inProcess.spans, 5);
    const waits = poolSpans();
    assert.equal(waits.length, 3);
    const parents = waits.map((wait) => spanById(wait.parentSpanId));
    assert.deepEqual(parents.map((parent) => parent?.kind), [SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.SERVER]);
    assert.notEqual(parents[0], parents[1]);
    assert.equal(parents[2]?.spanId, request.spanId);
    for (const wait of waits) {
      assert.equal(wait.kind, SpanKind.INTERNAL);
      assert.equal(wait.attributes['db.system.name'], 'postgresql');
      assert.match(String(wait.attributes['db.client.connection.pool.name']), new RegExp(`^${server.host}:${server.port}/`));
    }
    // The second query waited for the first (50 ms of sleep).
    const [, second] = waits;
    const ms = (second!.endTime[0] - second!.startTime[0]) * 1e3 + (second!.endTime[1] - second!.startTime[1]) / 1e6;
    assert.ok(ms >= 30, `${ms} ms waited`);
  });

  test('a wait outside any trace makes no span', async () => {
    inProcess.clear();
    await pool.query('SELECT 1');
    assert.equal(poolSpans().length, 0);
  });
});

describe('mysql2 pools', { skip: skipWithout('mariadbd', 'mariadb-server') }, () => {
  let server: TestServer;
  let pool: any;

  before(async () => {
    server = await startMariaDb();
    pool = require('mysql2').createPool({ uri: server.url, connectionLimit: 1 });
  });

  after(async () => {
    await new Promise((resolve) => pool?.end(resolve));
    await server?.stop();
  });

  test('each getConnection, pool.query\'s own included, is a wait under the request, named by the pool\'s server', async () => {
    inProcess.clear();
    const request = inRequest();
    await runWithContext(request.ctx, () =>
      Promise.all([
        new Promise((resolve, reject) => pool.query('SELECT SLEEP(0.05)', (error: unknown) => (error ? reject(error) : resolve(null)))),
        new Promise((resolve, reject) => pool.query('SELECT 1', (error: unknown) => (error ? reject(error) : resolve(null)))),
      ]),
    );
    request.end();
    // Pool of one: the second query waited for the first; its span starts when the app called the pool.
    const [first, second] = inProcess.spans.filter((span) => span.kind === SpanKind.CLIENT);
    assert.ok(startsBeforeEnd(second!, first!), 'the waiting query\'s span counts its wait');
    const waits = poolSpans();
    assert.equal(waits.length, 2);
    for (const wait of waits) {
      assert.equal(wait.parentSpanId, request.spanId);
      assert.equal(wait.attributes['db.system.name'], 'mariadb');
      assert.equal(wait.attributes['db.client.connection.pool.name'], `${server.host}:${server.port}${new URL(server.url).pathname}`);
    }
  });
});

describe('mongodb pools', { skip: skipWithoutMongoDb() }, () => {
  let server: TestServer;
  let client: any;

  before(async () => {
    server = await startMongoDb();
    const { MongoClient } = require('mongodb');
    client = new MongoClient(server.url, { maxPoolSize: 1 });
    await client.db('pool').command({ ping: 1 });
  });

  after(async () => {
    await client?.close();
    await server?.stop();
  });

  test('each command\'s checkout is a wait under the request, before the command\'s own span', async () => {
    inProcess.clear();
    const request = inRequest();
    await runWithContext(request.ctx, () => Promise.all([client.db('pool').collection('a').findOne({}), client.db('pool').collection('b').findOne({})]));
    request.end();
    // Pool of one: the second find waited for the first's connection; its span counts the wait.
    const [first, second] = inProcess.spans.filter((span) => span.kind === SpanKind.CLIENT);
    assert.ok(startsBeforeEnd(second!, first!), 'the waiting command\'s span counts its wait');
    const waits = poolSpans();
    assert.equal(waits.length, 2);
    for (const wait of waits) {
      assert.equal(wait.parentSpanId, request.spanId);
      assert.equal(wait.attributes['db.system.name'], 'mongodb');
      assert.equal(wait.attributes['db.client.connection.pool.name'], `${server.host}:${server.port}`);
    }
  });
});
