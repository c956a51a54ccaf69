// ioredis and node-redis under the real launcher, against a real Redis: each request's commands are
// CLIENT spans under its own server span, their text keeps keys and never values, batches are one span,
// and db.client.operation.duration reaches the receiver. CommonJS and ES module apps alike.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipWithout } from '../support/debian-program.js';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor } from '../support/run-cli.js';
import { startRedis, type TestServer } from '../support/servers/redis.js';

const SERVER = 2;
const CLIENT = 3;
const REQUESTS = 20;

interface Run {
  readonly spans: FlatSpan[];
  readonly metricNames: Set<string>;
  readonly durationPoints: Record<string, unknown>[];
}

async function run(redis: TestServer, app: string, paths: readonly string[], clientSpansPerRequest: number): Promise<Run> {
  const receiver = await GrpcReceiver.start();
  const cli = startCli(['node', join(FIXTURES, 'redis', app)], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_LOGS_EXPORTER: 'none',
    REDIS_URL: redis.url,
  });
  try {
    const port = Number((await cli.waitForLine(/listening (\d+)/))[1]);
    // Concurrent requests: each one's commands must still land under its own server span.
    const answers = await Promise.all(paths.map((path) => httpGet(`http://127.0.0.1:${port}${path}`)));
    for (const answer of answers) assert.equal(answer.status, 200, answer.body);
    cli.child.kill('SIGTERM');
    await cli.exited();
    const spans = await waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.kind === CLIENT).length >= paths.length * clientSpansPerRequest && all;
    }, 'the redis spans');
    const metrics = await receiver.waitForMetrics((m) => m.some((metric) => metric.name === 'db.client.operation.duration'));
    const duration = metrics.filter((m) => m.name === 'db.client.operation.duration');
    return {
      spans,
      metricNames: new Set(metrics.map((m) => m.name)),
      durationPoints: duration.flatMap((m) => m.points.map((p) => p.attributes)),
    };
  } finally {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await receiver.close();
  }
}

function assertEachUnderItsRequest(spans: readonly FlatSpan[], perRequest: number): void {
  const servers = spans.filter((s) => s.kind === SERVER);
  assert.equal(servers.length, REQUESTS);
  for (const server of servers) {
    const children = spans.filter((s) => s.kind === CLIENT && s.parentSpanId === server.spanId);
    assert.equal(children.length, perRequest, `${server.name} ${server.attributes['url.query']}: ${children.map((c) => c.name).join(', ')}`);
    for (const child of children) assert.equal(child.traceId, server.traceId);
  }
}

function assertNoValues(spans: readonly FlatSpan[]): void {
  const text = JSON.stringify(spans);
  assert.doesNotMatch(text, /secret-/, 'a value written to Redis reached the telemetry');
}

describe('redis and ioredis under otel-instrument, against a real Redis', { skip: skipWithout('redis-server', 'redis-server') }, () => {
  let redis: TestServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  const paths = Array.from({ length: REQUESTS }, (_, i) => `/user?id=${i}`);

  test('CommonJS: each request\'s SET and GET are CLIENT spans under its server span, keys kept and values hidden', async () => {
    const { spans, durationPoints } = await run(redis, 'app.js', paths, 2);
    assertEachUnderItsRequest(spans, 2);
    assertNoValues(spans);
    const set = spans.find((s) => s.kind === CLIENT && s.attributes['db.operation.name'] === 'SET')!;
    assert.equal(set.attributes['db.system.name'], 'redis');
    assert.match(String(set.attributes['db.query.text']), /^SET user:\d+ \?$/);
    assert.equal(set.scope.name, 'otel-instrument/ioredis');
    const get = spans.find((s) => s.kind === CLIENT && s.attributes['db.operation.name'] === 'GET')!;
    assert.equal(get.scope.name, 'otel-instrument/redis');
    assert.ok(durationPoints.some((a) => a['db.system.name'] === 'redis' && a['db.operation.name'] === 'GET'));
    assert.ok(durationPoints.every((a) => a['db.query.text'] === undefined), 'the metric carries no query text');
  });

  test('ES module: the same spans when the app imports ioredis and redis', async () => {
    const { spans } = await run(redis, 'app.mjs', paths, 2);
    assertEachUnderItsRequest(spans, 2);
    assertNoValues(spans);
  });

  test('a pipeline and a MULTI are one span each, with the batch size and no values', async () => {
    const batchPaths = Array.from({ length: REQUESTS }, (_, i) => `/batch?id=${i}`);
    const { spans } = await run(redis, 'app.js', batchPaths, 2);
    assertEachUnderItsRequest(spans, 2);
    assertNoValues(spans);
    const batches = spans.filter((s) => s.kind === CLIENT);
    assert.ok(batches.every((s) => s.attributes['db.operation.batch.size'] === 2), JSON.stringify(batches.map((s) => s.attributes)));
  });
});
