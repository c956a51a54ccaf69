// pg under the real launcher, against a real PostgreSQL: a CommonJS service (callbacks) and an ES
// module one (`import pg from 'pg'`, `import { Pool } from 'pg'`, await), each on a pool of 3
// connections under 20 concurrent requests. What the OTLP receiver gets: every request's two query spans under that request's server span (a context
// lost in the pool would leave one request with none and another with four), no literal of the text,
// and db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipWithout } from '../support/debian-program.js';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor, type Running } from '../support/run-cli.js';
import { startPostgres, type TestServer } from '../support/servers/postgres.js';

const SERVER = 2;
const CLIENT = 3;
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
      const receiver = await GrpcReceiver.start();
      let app: Running | undefined;
      try {
        app = startCli(['node', join(FIXTURES, 'pg', fixture)], {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_LOGS_EXPORTER: 'none',
          OTEL_SERVICE_NAME: 'pg-e2e',
          POSTGRES_URL: db.url,
        });
        const port = Number((await app.waitForLine(/listening (\d+)/))[1]);
        const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, n) => httpGet(`http://127.0.0.1:${port}/items/${n}`)));
        assert.deepEqual(
          responses.map((r) => r.status),
          responses.map(() => 200),
          responses.map((r) => r.body).join('\n'),
        );
        app.child.kill('SIGTERM');
        const exit = await app.exited();
        const spans = await waitFor(() => {
          const all = receiver.spans();
          return all.filter((s) => s.kind === SERVER).length >= REQUESTS && all.filter((s) => s.kind === CLIENT && s.scope.name === 'otel-instrument/pg').length >= 2 * REQUESTS && all;
        }, `${REQUESTS} server spans and ${2 * REQUESTS} pg spans (stderr: ${exit.stderr})`);

        const servers = spans.filter((s) => s.kind === SERVER);
        const queries = spans.filter((s) => s.kind === CLIENT && s.scope.name === 'otel-instrument/pg');
        // The table was made at startup, outside any request: no span for it.
        assert.deepEqual([...new Set(queries.map((q) => q.name))].sort(), ['SELECT', 'SELECT e2e_items']);
        assert.equal(queries.length, 2 * REQUESTS, queries.map((q) => q.name).join(', '));
        for (const server of servers) {
          const children = queries.filter((q) => q.parentSpanId === server.spanId && q.traceId === server.traceId);
          assert.deepEqual(
            children.map((q) => q.attributes['db.query.text']).sort(),
            // The second query passes values: its text is kept as written.
            ['SELECT name FROM e2e_items WHERE name = ? OR id = ?', 'SELECT pg_sleep(0.01), $1::int AS n'],
            `children of ${String(server.attributes['url.path'])}`,
          );
        }
        for (const query of queries) {
          assert.equal(query.attributes['db.system.name'], 'postgresql');
          assert.equal(query.attributes['server.port'], db.port);
          assert.equal(query.attributes['db.namespace'], new URL(db.url).pathname.slice(1));
          assert.doesNotMatch(JSON.stringify(query), /secret-/);
        }
        const metrics = await receiver.waitForMetrics((all) => all.some((m) => m.name === 'db.client.operation.duration'));
        const duration = metrics.find((m) => m.name === 'db.client.operation.duration')!;
        assert.equal(duration.unit, 's');
        assert.equal(duration.kind, 'histogram');
        const count = duration.points.reduce((sum, point) => sum + Number(point.count), 0);
        assert.ok(count >= 2 * REQUESTS, `${count} measured operations`);
        assert.ok(duration.points.every((point) => point.attributes['db.query.text'] === undefined));
      } finally {
        if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
        await receiver.close();
      }
    });
  }
});
