// postgres.js under the real launcher, against a real PostgreSQL: a CommonJS and an ES module service
// (postgres.js ships a separate copy of itself for each) with max: 3 under 20 concurrent requests. What the OTLP receiver gets: every request's five query spans (one
// query, then begin, two queries and commit) under that request's server span, no value of the
// query, and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES } from '../support/run-cli.js';
import { startPostgres, type TestServer } from '../support/servers/postgres.js';

const REQUESTS = 20;
const PER_REQUEST = 5;

describe('postgres.js under otel-instrument against a real PostgreSQL', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let db: TestServer;

  before(async () => {
    db = await startPostgres();
  });

  after(async () => {
    await db?.stop();
  });

  for (const fixture of ['app.js', 'app.mjs']) {
    test(`${fixture}: each request's queries, its transaction's included, are its children, without values, and the duration metric arrives`, async () => {
      const run = await runDbService({
        app: join(FIXTURES, 'postgres', fixture),
        env: { OTEL_SERVICE_NAME: 'postgres-e2e', POSTGRES_URL: db.url },
        paths: Array.from({ length: REQUESTS }, (_, n) => `/items/${n}`),
        scopes: ['otel-instrument/postgres'],
        operationsPerRequest: PER_REQUEST,
      });
      // The table was made at startup, outside any request: no span for it.
      assert.equal(run.operations.length, PER_REQUEST * REQUESTS, run.operations.map((q) => q.name).join(', '));
      for (const server of run.servers) {
        assert.deepEqual(
          childrenOf(server, run.operations).map((q) => q.attributes['db.query.text']).sort(),
          ['begin', 'commit', 'select $1::int as n', 'select name from e2e_pjs where name = $1 or id = $2', 'select pg_sleep(0.01)'],
          `children of ${String(server.attributes['url.path'])}`,
        );
      }
      for (const query of run.operations) {
        assert.equal(query.attributes['db.system.name'], 'postgresql');
        assert.equal(query.attributes['server.address'], db.host);
        assert.equal(query.attributes['server.port'], db.port);
        assert.equal(query.attributes['db.namespace'], new URL(db.url).pathname.slice(1));
        assert.doesNotMatch(JSON.stringify(query), /secret-/);
      }
      assertDurationMetric(run, PER_REQUEST * REQUESTS);
    });
  }
});
