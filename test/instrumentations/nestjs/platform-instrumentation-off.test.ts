// With the express and fastify instrumentations off (disabled by name, or a platform version outside
// their range), Nest alone still names the server span: its route wrapper takes the route the
// platform matched (express's req.route.path, fastify's routeOptions.url), which is the full path Nest
// registered. Its span is then the server span's own child.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '../../../src/otel-api/enums.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { ask, childrenOf, serverSpanOf, startUsersApp } from './users-app-suite.js';

const recorded = instrumentInProcess(['http', 'nestjs']);
require('reflect-metadata');

for (const platform of ['express', 'fastify'] as const) {
  describe(`on the ${platform} platform without its instrumentation`, () => {
    let running: Awaited<ReturnType<typeof startUsersApp>>;
    before(async () => {
      running = await startUsersApp(require, platform);
    });
    after(async () => {
      await running.app.close();
    });

    test('the server span and the duration metric get the Nest route, and the Nest span is the server span child', async () => {
      for (const [path, route, name] of [
        ['/api/v1/users/42', '/api/v1/users/:id', 'UsersController.findOne'],
        ['/api/health', '/api/health', 'HealthController.check'],
      ] as const) {
        await ask(recorded, running.port, path, 2);
        const server = serverSpanOf(recorded.spans, path);
        assert.equal(server.name, `GET ${route}`);
        assert.equal(server.attributes['http.route'], route);
        assert.deepEqual(childrenOf(recorded.spans, server).map((s) => s.name), [name]);
        const durations = recorded.measurements.filter((m) => m.instrument === 'http.server.request.duration');
        assert.deepEqual(durations.map((m) => m.attributes['http.route']), [route]);
      }
    });

    test('a thrown error is still recorded on the server span, and a path no route answers keeps no route', async () => {
      await ask(recorded, running.port, '/api/v1/users/fail/throw', 2);
      const failed = serverSpanOf(recorded.spans, '/api/v1/users/fail/throw');
      assert.equal(failed.name, 'GET /api/v1/users/fail/throw');
      assert.equal(failed.attributes['error.type'], 'RangeError');
      assert.equal(failed.status.code, SpanStatusCode.ERROR);

      await ask(recorded, running.port, '/api/nope', 1);
      const missing = serverSpanOf(recorded.spans, '/api/nope');
      assert.equal(missing.name, 'GET');
      assert.equal(missing.attributes['http.route'], undefined);
    });
  });
}
