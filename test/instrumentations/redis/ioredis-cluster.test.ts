// ioredis 5 and 6 Cluster in this process, through the real module hooks, against a real Redis Cluster
// of three masters (Debian's redis-server in cluster mode): each command is one CLIENT span in the
// request that sent it, also when the cluster queued it while connecting, with the node that served it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider } from '../../support/in-process-instrumentation.js';
import { skipWithout } from '../../support/debian-program.js';
import { startRedisCluster, type TestCluster } from '../../support/servers/redis.js';

const skip = skipWithout('redis-server', 'redis-server');
const inProcess = instrumentInProcess(['ioredis']);
const requests = recordingTracerProvider(() => {}).getTracer('test');

// ioredis 6 is installed as `ioredis-6`: its files are handed to the hooks under ioredis's own names.
for (const file of ['Redis.js', 'Pipeline.js', 'cluster/index.js']) {
  const path = require.resolve(`ioredis-6/built/${file}`);
  inProcess.hooks.onLoad(require(path), `ioredis/built/${file}`, dirname(path).replace(/\/built(\/cluster)?$/, ''));
}

function inRequest(name = 'GET /cart'): { ctx: Context; spanId: string; end(): void } {
  const span = requests.startSpan(name, { kind: SpanKind.SERVER });
  return { ctx: trace.setSpan(ROOT_CONTEXT, span), spanId: span.spanContext().spanId, end: () => span.end() };
}

function redisSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.attributes['db.system.name'] === 'redis');
}

async function settled(count: number): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5000;
  while (redisSpans().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return redisSpans();
}

for (const module of ['ioredis', 'ioredis-6']) {
  describe(`${module} Cluster against a real Redis Cluster`, { skip }, () => {
    let cluster: TestCluster;
    let client: any;
    let ports: number[];

    before(async () => {
      cluster = await startRedisCluster();
      ports = cluster.nodes.map((node) => node.port);
    });

    after(async () => {
      await client?.quit();
      await cluster?.stop();
    });

    test('commands sent before the cluster is ready are queued, then served, each a child of its request with its node', async () => {
      inProcess.clear();
      const { Cluster } = require(module);
      client = new Cluster(cluster.nodes);
      const request = inRequest();
      // Keys in different slots, so different nodes serve them.
      const keys = ['cart:1', 'cart:2', 'cart:3', 'cart:4', 'cart:5', 'cart:6'];
      await runWithContext(request.ctx, async () => {
        await Promise.all(keys.map((key) => client.set(key, 'secret-value')));
        await Promise.all(keys.map((key) => client.get(key)));
      });
      request.end();
      const spans = await settled(12);
      assert.equal(spans.length, 12, spans.map((s) => s.name).join(', '));
      for (const span of spans) {
        assert.equal(span.parentSpanId, request.spanId, span.name);
        assert.match(span.name, /^(SET|GET)$/);
        assert.equal(span.attributes['server.address'], '127.0.0.1');
        assert.ok(ports.includes(Number(span.attributes['server.port'])), String(span.attributes['server.port']));
        assert.equal(span.attributes['db.namespace'], undefined);
        assert.doesNotMatch(String(span.attributes['db.query.text']), /secret-/);
      }
      assert.ok(new Set(spans.map((s) => s.attributes['server.port'])).size >= 2, 'more than one node served the keys');
    });

    test('20 concurrent requests: every command span is its own request\'s child; the cluster\'s own commands make none', async () => {
      inProcess.clear();
      const issued = await Promise.all(
        Array.from({ length: 20 }, async (_, n) => {
          const request = inRequest(`GET /cart/${n}`);
          await runWithContext(request.ctx, () => client.get(`cart:${n}`));
          request.end();
          return request.spanId;
        }),
      );
      const spans = await settled(20);
      assert.deepEqual(spans.map((s) => s.name), Array(20).fill('GET'));
      assert.deepEqual(new Set(spans.map((s) => s.parentSpanId)), new Set(issued));
    });

    test('a pipeline on one slot is one batch span', async () => {
      inProcess.clear();
      const request = inRequest();
      await runWithContext(request.ctx, () => client.pipeline().set('{cart}:a', '1').incr('{cart}:a').exec());
      request.end();
      const [span] = await settled(1);
      assert.equal(span!.name, 'PIPELINE');
      assert.equal(span!.attributes['db.query.text'], 'SET {cart}:a ?; INCR {cart}:a');
      assert.equal(span!.attributes['db.operation.batch.size'], 2);
      assert.equal(span!.parentSpanId, request.spanId);
    });
  });
}
