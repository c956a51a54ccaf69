// SQLite under the real launcher: a CommonJS service on node:sqlite (Node 22.13+) and on
// better-sqlite3 (where its native addon loads in the running Node: CI runs these tests on Node 20,
// 22 and 24 with one build), under 10 concurrent requests. What the OTLP receiver gets: every
// request's two statement spans under that request's server span, no literal of the text, and
// db.client.operation.duration.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertDurationMetric, childrenOf, runDbService } from '../support/db-service-run.js';
import { FIXTURES } from '../support/run-cli.js';

const REQUESTS = 10;

function loads(probe: () => void): boolean {
  try {
    probe();
    return true;
  } catch {
    return false;
  }
}

const DRIVERS = [
  { driver: 'node:sqlite', skip: loads(() => require('node:sqlite')) ? undefined : 'node:sqlite needs Node 22.13+' },
  {
    driver: 'better-sqlite3',
    // A binary built for another Node fails on its first database, not on require.
    skip: loads(() => new (require('better-sqlite3') as new (file: string) => { close(): void })(':memory:').close())
      ? undefined
      : `better-sqlite3's native addon does not load in Node ${process.versions.node}`,
  },
];

describe('SQLite under otel-instrument', () => {
  for (const { driver, skip } of DRIVERS) {
    test(`${driver}: each request's statements are its children, without literals, and the duration metric arrives`, { skip }, async () => {
      const run = await runDbService({
        app: join(FIXTURES, 'sqlite', 'app.js'),
        env: { OTEL_SERVICE_NAME: 'sqlite-e2e', SQLITE_DRIVER: driver },
        paths: Array.from({ length: REQUESTS }, (_, n) => `/items/${n}`),
        scopes: ['otel-instrument/sqlite'],
        operationsPerRequest: 2,
      });
      // The table was made at startup, outside any request: no span for it.
      assert.equal(run.operations.length, 2 * REQUESTS, run.operations.map((q) => q.name).join(', '));
      for (const server of run.servers) {
        assert.deepEqual(
          childrenOf(server, run.operations).map((q) => q.attributes['db.query.text']).sort(),
          ['SELECT name FROM e2e_items WHERE id = ?', 'SELECT name FROM e2e_items WHERE name = ? OR id = ?'],
          `children of ${String(server.attributes['url.path'])}`,
        );
      }
      for (const query of run.operations) {
        assert.equal(query.name, 'SELECT e2e_items');
        assert.equal(query.attributes['db.system.name'], 'sqlite');
        assert.doesNotMatch(JSON.stringify(query), /secret-/);
      }
      assertDurationMetric(run, 2 * REQUESTS);
    });
  }
});
