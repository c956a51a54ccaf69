// ioredis and node-redis under the real launcher, against a real Redis: each request's commands are
// CLIENT spans under its own server span, their text keeps keys and never values, batches are one span,
// and db.client.operation.duration reaches the receiver. CommonJS and ES module apps alike.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService, type DbServiceRun } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES } from '../support/run-cli.js';
import { startRedis, type TestServer } from '../support/servers/redis.js';

const REQUESTS = 20;
const SCOPES = ['otel-instrument/ioredis', 'otel-instrument/redis'];

function run(redis: TestServer, app: string, path: string): Promise<DbServiceRun> {
  return runDbService({
    app: join(FIXTURES, 'redis', app),
    env: { REDIS_URL: redis.url },
    paths: Array.from({ length: REQUESTS }, (_, i) => `${path}?id=${i}`),
    scopes: SCOPES,
    operationsPerRequest: 2,
  });
}

/** Each request has exactly its own two operations, and no value written to Redis was exported. */
function assertEachUnderItsRequest(result: DbServiceRun): void {
  assert.equal(result.servers.length, REQUESTS);
  for (const server of result.servers) {
    const children = childrenOf(server, result.operations);
    assert.equal(children.length, 2, `${String(server.attributes['url.query'])}: ${children.map((c) => c.name).join(', ')}`);
  }
  assert.doesNotMatch(JSON.stringify(result.operations), /secret-/, 'a value written to Redis reached the telemetry');
}

describe('redis and ioredis under otel-instrument, against a real Redis', { skip: skipWithout('redis-server', 'redis-server') }, () => {
  let redis: TestServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  test("CommonJS: each request's SET and GET are CLIENT spans under its server span, keys kept and values hidden", async () => {
    const result = await run(redis, 'app.js', '/user');
    assertEachUnderItsRequest(result);
    const set = result.operations.find((s) => s.attributes['db.operation.name'] === 'SET')!;
    assert.equal(set.attributes['db.system.name'], 'redis');
    assert.match(String(set.attributes['db.query.text']), /^SET user:\d+ \?$/);
    assert.equal(set.scope.name, 'otel-instrument/ioredis');
    const get = result.operations.find((s) => s.attributes['db.operation.name'] === 'GET')!;
    assert.equal(get.scope.name, 'otel-instrument/redis');
    assert.ok(result.durationPoints.some((p) => p.attributes['db.system.name'] === 'redis' && p.attributes['db.operation.name'] === 'GET'));
    assertDurationMetric(result, 2 * REQUESTS);
  });

  test('ES module: the same spans when the app imports ioredis and redis', async () => {
    assertEachUnderItsRequest(await run(redis, 'app.mjs', '/user'));
  });

  test('a pipeline and a MULTI are one span each, with the batch size and no values', async () => {
    const result = await run(redis, 'app.js', '/batch');
    assertEachUnderItsRequest(result);
    assert.ok(
      result.operations.every((s) => s.attributes['db.operation.batch.size'] === 2),
      JSON.stringify(result.operations.map((s) => s.attributes)),
    );
  });
});
