// pg under the real launcher, against a real PostgreSQL: a CommonJS service (callbacks) and an ES
// module one (`import pg from 'pg'`, `import { Pool } from 'pg'`, await), each on a pool of 3
// connections under 20 concurrent requests. What the OTLP receiver gets: every request's two query
// spans under that request's server span, no literal of the text, and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES } from '../support/run-cli.js';
import { startPostgres, type TestServer } from '../support/servers/postgres.js';

const REQUESTS = 20;

describe('pg under otel-instrument against a real PostgreSQL', { skip: skipWithout('initdb', 'postgresql') }, () => {
  let db: TestServer;

  before(async () => {
    db = await startPostgres();
  });

  after(async () => {
    await db?.stop();
  });

  for (const fixture of ['app.js', 'app.mjs']) {
    test(`${fixture}: each request's queries are its children, without literals, and the duration metric arrives`, async () => {
      const run = await runDbService({
        app: join(FIXTURES, 'pg', fixture),
        env: { OTEL_SERVICE_NAME: 'pg-e2e', POSTGRES_URL: db.url },
        paths: Array.from({ length: REQUESTS }, (_, n) => `/items/${n}`),
        scopes: ['otel-instrument/pg'],
        operationsPerRequest: 2,
      });
      // The table was made at startup, outside any request: no span for it.
      assert.deepEqual([...new Set(run.operations.map((q) => q.name))].sort(), ['SELECT', 'SELECT e2e_items']);
      assert.equal(run.operations.length, 2 * REQUESTS, run.operations.map((q) => q.name).join(', '));
      for (const server of run.servers) {
        assert.deepEqual(
          childrenOf(server, run.operations).map((q) => q.attributes['db.query.text']).sort(),
          // The second query passes values: its text is kept as written.
          ['SELECT name FROM e2e_items WHERE name = ? OR id = ?', 'SELECT pg_sleep(0.01), $1::int AS n'],
          `children of ${String(server.attributes['url.path'])}`,
        );
      }
      for (const query of run.operations) {
        assert.equal(query.attributes['db.system.name'], 'postgresql');
        assert.equal(query.attributes['server.port'], db.port);
        assert.equal(query.attributes['db.namespace'], new URL(db.url).pathname.slice(1));
        assert.doesNotMatch(JSON.stringify(query), /secret-/);
      }
      assertDurationMetric(run, 2 * REQUESTS);
    });
  }
});
