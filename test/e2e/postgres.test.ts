// postgres.js under the real launcher, against a real PostgreSQL: a CommonJS and an ES module service
// (postgres.js ships a separate copy of itself for each) with max: 3 under 20 concurrent requests. What the OTLP receiver gets: every request's five query spans (one
// query, then begin, two queries and commit) under that request's server span, no value of the
// query, and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { skipWithout } from '../support/debian-program.js';
import { FIXTURES, ROOT } from '../support/run-cli.js';
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
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });

  // postgres.js 4 is ES modules only, and publishes its queries on a TracingChannel: the same service,
  // in a directory of its own where `postgres` is version 4 (the devDependency postgres-4, copied).
  // A literal written in the template: 3.x knows a tagged template from sql.unsafe and keeps it; 4.x's
  // channel gives only the text, so text without a `$n` is sanitized.
  const cases = [
    { label: 'app.js', app: () => join(FIXTURES, 'postgres', 'app.js'), sleep: 'select pg_sleep(0.01)' },
    { label: 'app.mjs', app: () => join(FIXTURES, 'postgres', 'app.mjs'), sleep: 'select pg_sleep(0.01)' },
    { label: 'postgres.js 4, app.mjs', app: () => withPostgres4(join(FIXTURES, 'postgres', 'app.mjs')), sleep: 'select pg_sleep(?)' },
  ];
  for (const { label, app, sleep } of cases) {
    test(`${label}: each request's queries, its transaction's included, are its children, without values, and the duration metric arrives`, async () => {
      const run = await runDbService({
        app: app(),
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
          ['begin', 'commit', 'select $1::int as n', 'select name from e2e_pjs where name = $1 or id = $2', sleep],
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
      for (const point of run.durations.flatMap((m) => m.points)) {
        assert.equal(point.attributes['server.address'], db.host, JSON.stringify(point.attributes));
        assert.equal(point.attributes['server.port'], db.port);
      }
    });
  }
});

const copies: string[] = [];

/** A copy of `app` in a new directory whose node_modules/postgres is postgres.js 4. */
function withPostgres4(app: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-postgres4-'));
  copies.push(dir);
  cpSync(join(ROOT, 'node_modules', 'postgres-4'), join(dir, 'node_modules', 'postgres'), { recursive: true });
  const copy = join(dir, basename(app));
  cpSync(app, copy);
  return copy;
}
