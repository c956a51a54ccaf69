// The "tried as a new user would": an express service on a pg Pool, a mysql2 pool, ioredis,
// node-redis and mongodb, under 30 concurrent requests on pools of 2, under the real launcher, against
// real PostgreSQL, MariaDB and Redis servers and the MongoDB emulator. Each request's trace holds its own
// five operations, named and sanitized, nested under its route-named server span; the metrics arrive.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, runDbService } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES } from '../support/run-cli.js';
import { startMariaDb } from '../support/servers/mariadb.js';
import { skipWithoutMongoDb, startMongoDb } from '../support/servers/mongodb.js';
import { startPostgres } from '../support/servers/postgres.js';
import { startRedis, type TestServer } from '../support/servers/redis.js';

const REQUESTS = 30;
const SCOPES = ['pg', 'mysql2', 'ioredis', 'redis', 'mongodb'].map((name) => `otel-instrument/${name}`);
const skip = skipWithout('initdb', 'postgresql') || skipWithout('mariadbd', 'mariadb-server') || skipWithout('redis-server', 'redis-server') || skipWithoutMongoDb();

describe('an express service on five database clients under load', { skip }, () => {
  const servers: TestServer[] = [];

  before(async () => {
    servers.push(...(await Promise.all([startPostgres(), startMariaDb(), startRedis(), startMongoDb()])));
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  test('every request has its own five operations under its route-named span, without a literal', async () => {
    const [postgres, mariadb, redis, mongodb] = servers;
    const run = await runDbService({
      app: join(FIXTURES, 'express-databases', 'app.js'),
      env: { OTEL_SERVICE_NAME: 'orders', POSTGRES_URL: postgres!.url, MYSQL_URL: mariadb!.url, REDIS_URL: redis!.url, MONGODB_URL: mongodb!.url },
      paths: Array.from({ length: REQUESTS }, (_, n) => `/orders/${n}`),
      scopes: SCOPES,
      operationsPerRequest: 5,
    });
    assert.equal(run.servers.length, REQUESTS);
    const redisTarget = `${redis!.host}:${redis!.port}`;
    for (const server of run.servers) {
      assert.equal(server.name, 'GET /orders/:id');
      // Under express's handler span, in the request's own trace: a context lost in a pool would move an
      // operation into another request's trace.
      const inTrace = run.operations.filter((o) => o.traceId === server.traceId);
      assert.ok(inTrace.every((o) => o.parentSpanId !== undefined && o.parentSpanId !== ''));
      assert.deepEqual(
        inTrace.map((o) => `${o.scope.name.split('/')[1]}: ${o.name}`).sort(),
        // Redis names no namespace in a span: its target is the server.
        ['ioredis: SET ' + redisTarget, 'mongodb: find reviews', 'mysql2: SELECT', 'pg: SELECT', 'redis: GET ' + redisTarget],
        `children of ${String(server.attributes['url.path'])}`,
      );
    }
    assert.equal(run.operations.length, 5 * REQUESTS, 'no operation outside its request');
    for (const operation of run.operations) assert.doesNotMatch(JSON.stringify(operation.attributes), /secret-/);
    assertDurationMetric(run, 5 * REQUESTS);
  });
});
