// mongodb under the real launcher: a CommonJS and an ES module service on one MongoClient with a pool
// of 2, under 12 concurrent requests, against a MongoDB-wire-compatible server (a real mongod when
// OTEL_TEST_MONGODB_URL names one; else MockupDB over mongomock from Debian, see
// test/support/servers/mongodb.ts). What the OTLP receiver gets: every request's two command spans
// under that request's server span, no value of a filter or update, and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { FIXTURES } from '../support/run-cli.js';
import { skipWithoutMongoDb, startMongoDb } from '../support/servers/mongodb.js';
import type { TestServer } from '../support/servers/redis.js';

const REQUESTS = 12;

describe('mongodb under otel-instrument against a MongoDB-wire-compatible server', { skip: skipWithoutMongoDb() }, () => {
  let db: TestServer;

  before(async () => {
    db = await startMongoDb();
  });

  after(async () => {
    await db?.stop();
  });

  for (const fixture of ['app.js', 'app.mjs']) {
    test(`${fixture}: each request's commands are its children, without values, and the duration metric arrives`, async () => {
      const run = await runDbService({
        app: join(FIXTURES, 'mongodb', fixture),
        env: { OTEL_SERVICE_NAME: 'mongodb-e2e', MONGODB_URL: db.url },
        paths: Array.from({ length: REQUESTS }, (_, n) => `/orders/${n}`),
        scopes: ['otel-instrument/mongodb'],
        operationsPerRequest: 2,
      });
      assert.equal(run.operations.length, 2 * REQUESTS, run.operations.map((o) => o.name).join(', '));
      for (const server of run.servers) {
        assert.deepEqual(
          childrenOf(server, run.operations).map((o) => o.attributes['db.query.text']).sort(),
          [
            '{"find":"orders","filter":{"email":"?"},"limit":"?","singleBatch":"?"}',
            '{"update":"orders","updates":[{"q":{"n":"?"},"u":{"$set":{"seen":"?"}},"upsert":"?"}],"ordered":"?"}',
          ],
          `children of ${String(server.attributes['url.path'])}`,
        );
      }
      for (const operation of run.operations) {
        assert.match(operation.name, /^(find|update) orders$/);
        assert.equal(operation.attributes['db.system.name'], 'mongodb');
        assert.equal(operation.attributes['db.namespace'], 'e2e');
        assert.equal(operation.attributes['server.address'], db.host);
        assert.doesNotMatch(JSON.stringify(operation), /secret-/);
      }
      assertDurationMetric(run, 2 * REQUESTS);
    });
  }

  test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=mongodb: the service works and no command is traced', async () => {
    const run = await runDbService({
      app: join(FIXTURES, 'mongodb', 'app.js'),
      env: { OTEL_SERVICE_NAME: 'mongodb-e2e', MONGODB_URL: db.url, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mongodb' },
      paths: ['/orders/1', '/orders/2'],
      scopes: ['otel-instrument/mongodb'],
      operationsPerRequest: 0,
    });
    assert.equal(run.servers.length, 2);
    assert.equal(run.operations.length, 0);
    assert.equal(run.measured, 0);
  });
});
