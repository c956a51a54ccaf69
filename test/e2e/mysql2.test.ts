// mysql2 under the real launcher, against a real MariaDB: a CommonJS service (callbacks) and an ES
// module one (mysql2/promise), each on a pool of 2 connections under 12 concurrent requests. What the
// OTLP receiver gets: every request's two query spans under that request's server span, no literal of
// the text, and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES } from '../support/run-cli.js';
import { startMariaDb, type TestServer } from '../support/servers/mariadb.js';

const REQUESTS = 12;

describe('mysql2 under otel-instrument against a real MariaDB', { skip: skipWithout('mariadbd', 'mariadb-server') }, () => {
  let db: TestServer;

  before(async () => {
    db = await startMariaDb();
  });

  after(async () => {
    await db?.stop();
  });

  for (const fixture of ['app.js', 'app.mjs']) {
    test(`${fixture}: each request's queries are its children, without literals, and the duration metric arrives`, async () => {
      const run = await runDbService({
        app: join(FIXTURES, 'mysql2', fixture),
        env: { OTEL_SERVICE_NAME: 'mysql2-e2e', MYSQL_URL: db.url },
        paths: Array.from({ length: REQUESTS }, (_, n) => `/items/${n}`),
        scopes: ['otel-instrument/mysql2'],
        operationsPerRequest: 2,
      });
      // The table was made at startup, outside any request: no span for it.
      assert.equal(run.operations.length, 2 * REQUESTS, run.operations.map((q) => q.name).join(', '));
      for (const server of run.servers) {
        assert.deepEqual(
          childrenOf(server, run.operations).map((q) => q.attributes['db.query.text']).sort(),
          // The execute passes values: its template is kept as written.
          ['SELECT SLEEP(0.01), ? AS n', 'SELECT name FROM e2e_items WHERE name = ? OR id = ?'],
          `children of ${String(server.attributes['url.path'])}`,
        );
      }
      for (const query of run.operations) {
        assert.equal(query.attributes['db.system.name'], 'mariadb');
        assert.equal(query.attributes['db.namespace'], new URL(db.url).pathname.slice(1));
        assert.doesNotMatch(JSON.stringify(query), /secret-/);
      }
      assertDurationMetric(run, 2 * REQUESTS);
    });
  }
});
