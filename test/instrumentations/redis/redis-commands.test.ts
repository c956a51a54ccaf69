// node-redis 4, 5 and 6 and ioredis 5 and 6 against a real Redis: a CLIENT span per command under the
// request that issued it, with the command and key but never a value, the Redis error prefix on
// failures, one span per MULTI or pipeline, and the client's own connection setup out of every trace.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { suppressed } from '../../../src/context/suppress.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider, waitForSpans } from '../../support/in-process-instrumentation.js';
import { skipWithout } from '../../support/debian-program.js';
import { startRedis, type TestServer } from '../../support/servers/redis.js';

const skip = skipWithout('redis-server', 'redis-server');
const inProcess = instrumentInProcess(['redis', 'ioredis']);
const requests = recordingTracerProvider(() => {}).getTracer('test');

// ioredis 6 is installed as `ioredis-6`, a name the require hook does not know: its files are handed to
// the hooks under ioredis's own names, as the hook does for an app's `ioredis`.
for (const file of ['Redis.js', 'Pipeline.js']) {
  const path = require.resolve(`ioredis-6/built/${file}`);
  inProcess.hooks.onLoad(require(path), `ioredis/built/${file}`, dirname(dirname(path)));
}

function inRequest(name = 'GET /orders/:id'): { ctx: Context; spanId: string } {
  const span = requests.startSpan(name, { kind: SpanKind.SERVER });
  return { ctx: trace.setSpan(ROOT_CONTEXT, span), spanId: span.spanContext().spanId };
}

function redisSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.attributes['db.system.name'] === 'redis');
}

/** The same calls for every client: async (promise-returning) versions of what each library offers. */
interface Driver {
  readonly label: string;
  /** node-redis 4: its typed commands reach the queue with no client known, so no address or index. */
  readonly connectionKnown: boolean;
  connect(url: string, database?: number): Promise<void>;
  /** Creates and starts connecting a client without waiting: its first commands wait in the offline queue. */
  connectLater(url: string, database: number): void;
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  multi(key: string): Promise<unknown>;
  /** node-redis: a MULTI whose second command fails on the server (exec() rejects); ioredis: none. */
  failingMulti?(key: string): Promise<unknown>;
  pipeline(key: string): Promise<unknown>;
  wrongArguments(): unknown;
  wrongArgumentsUnpatched(): unknown;
  close(): Promise<void>;
}

function nodeRedis(label: string, module: string): Driver {
  const { createClient } = require(module) as { createClient(options: object): any };
  let client: any;
  return {
    label,
    connectionKnown: label !== 'node-redis 4',
    async connect(url, database) {
      client = createClient({ url, database });
      client.on('error', () => {});
      await client.connect();
    },
    connectLater(url, database) {
      client = createClient({ url, database });
      client.on('error', () => {});
      void client.connect();
    },
    set: (key, value) => client.set(key, value),
    get: (key) => client.get(key),
    hset: (key, field, value) => client.hSet(key, field, value),
    multi: (key) => client.multi().set(key, 'secret-multi').get(key).exec(),
    failingMulti: (key) => client.multi().set(key, 'secret-multi').lPush(key, 'x').exec(),
    pipeline: (key) => client.multi().set(key, 'secret-pipe').get(key).execAsPipeline(),
    wrongArguments: () => client.hSet(),
    // node-redis's typed commands are bound at load: the same call with the instrumentation stepping aside.
    wrongArgumentsUnpatched: () => runWithContext(suppressed(ROOT_CONTEXT), () => client.hSet()),
    close: async () => void (await client.quit()),
  };
}

function ioredisDriver(label: string, module: string): Driver {
  const Redis = require(module) as any;
  const Ctor = Redis.default ?? Redis;
  let redis: any;
  return {
    label,
    connectionKnown: true,
    async connect(url, database) {
      redis = new Ctor(url, { db: database ?? 0, lazyConnect: true });
      await redis.connect();
    },
    connectLater(url, database) {
      redis = new Ctor(url, { db: database });
    },
    set: (key, value) => redis.set(key, value),
    // ioredis takes callbacks too: the callback must run in the caller's context.
    get: (key) =>
      new Promise((resolve, reject) => {
        const caller = activeContext();
        redis.get(key, (error: unknown, value: unknown) => {
          if (activeContext() !== caller) reject(new Error('callback ran outside the caller context'));
          else if (error) reject(error);
          else resolve(value);
        });
      }),
    hset: (key, field, value) => redis.hset(key, field, value),
    multi: (key) => redis.multi().set(key, 'secret-multi').get(key).exec(),
    pipeline: (key) => redis.pipeline().set(key, 'secret-pipe').get(key).exec(),
    wrongArguments: () => redis.sendCommand(undefined),
    wrongArgumentsUnpatched: () => Ctor.prototype.sendCommand.__original.call(redis, undefined),
    close: async () => void (await redis.quit()),
  };
}

const DRIVERS: readonly (() => Driver)[] = [
  () => nodeRedis('node-redis 4', 'redis-4'),
  () => nodeRedis('node-redis 5', 'redis'),
  () => nodeRedis('node-redis 6', 'redis-6'),
  () => ioredisDriver('ioredis 5', 'ioredis'),
  () => ioredisDriver('ioredis 6', 'ioredis-6'),
];

let server: TestServer;
before(async () => {
  if (!skip) server = await startRedis();
});
after(async () => {
  await server?.stop();
});

for (const make of DRIVERS) {
  const driver = make();
  describe(driver.label, { skip }, () => {
    before(async () => {
      await driver.connect(server.url);
      inProcess.clear();
    });
    after(async () => {
      await driver.close();
    });

    test('a command in a request is a CLIENT span under it with the command and key, never the value', async () => {
      inProcess.clear();
      const request = inRequest();
      await runWithContext(request.ctx, () => driver.set('user:42', 'secret-value'));
      const value = await runWithContext(request.ctx, () => driver.get('user:42'));
      assert.equal(value, 'secret-value');
      await waitForSpans(inProcess.spans, 2);
      const [set, get] = redisSpans();
      assert.equal(set!.name, driver.connectionKnown ? `SET ${server.host}:${server.port}` : 'SET');
      assert.equal(set!.kind, SpanKind.CLIENT);
      assert.equal(set!.parentSpanId, request.spanId);
      assert.equal(get!.parentSpanId, request.spanId);
      assert.deepEqual(
        { ...set!.attributes },
        {
          'db.system.name': 'redis',
          'db.operation.name': 'SET',
          'db.query.text': 'SET user:42 ?',
          ...(driver.connectionKnown ? { 'db.namespace': '0', 'server.address': server.host, 'server.port': server.port } : {}),
        },
      );
      assert.equal(get!.attributes['db.query.text'], 'GET user:42');
      assert.ok(!JSON.stringify(inProcess.spans.map((s) => s.attributes)).includes('secret'));
      const measured = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
      assert.equal(measured.length, 2);
      assert.equal(measured[0]!.attributes['db.operation.name'], 'SET');
      assert.equal(measured[0]!.attributes['db.query.text'], undefined);
    });

    test('a WRONGTYPE reply is an ERROR span with the prefix as status code, and the app gets the error', async () => {
      inProcess.clear();
      const request = inRequest();
      await runWithContext(request.ctx, () => driver.set('plain', 'v'));
      const error = await runWithContext(request.ctx, () => driver.hset('plain', 'field', 'secret-field-value')).then(
        () => assert.fail('HSET on a string succeeded'),
        (e: unknown) => e as Error,
      );
      assert.match(error.message, /^WRONGTYPE /);
      await waitForSpans(inProcess.spans, 2);
      const hset = redisSpans()[1]!;
      assert.equal(hset.attributes['db.query.text'], 'HSET plain ? ?');
      assert.equal(hset.attributes['db.response.status_code'], 'WRONGTYPE');
      assert.equal(hset.attributes['error.type'], 'WRONGTYPE');
      assert.equal(hset.status.code, SpanStatusCode.ERROR);
      assert.equal(hset.events[0]?.attributes?.['exception.message'], error.message);
    });

    test('multi().exec() and a pipeline are one span each, named as a batch, with the batch size', async () => {
      inProcess.clear();
      const request = inRequest();
      await runWithContext(request.ctx, () => driver.multi('batch:m'));
      await runWithContext(request.ctx, () => driver.pipeline('batch:p'));
      await waitForSpans(inProcess.spans, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const spans = redisSpans();
      assert.deepEqual(
        spans.map((s) => [s.name, s.attributes['db.operation.name'], s.attributes['db.operation.batch.size'], s.attributes['db.query.text'], s.parentSpanId]),
        [
          [`MULTI ${server.host}:${server.port}`, 'MULTI', 2, 'SET batch:m ?; GET batch:m', request.spanId],
          [`PIPELINE ${server.host}:${server.port}`, 'PIPELINE', 2, 'SET batch:p ?; GET batch:p', request.spanId],
        ],
      );
    });

    test('a MULTI whose command fails is an ERROR span with that reply as its error, and exec() rejects as before', { skip: driver.failingMulti === undefined }, async () => {
      inProcess.clear();
      const request = inRequest();
      const error = await runWithContext(request.ctx, () => driver.failingMulti!('batch:f')).then(
        () => assert.fail('the MULTI succeeded'),
        (e: unknown) => e as Error,
      );
      assert.equal(error.constructor.name, 'MultiErrorReply');
      await waitForSpans(inProcess.spans, 1);
      const [multi] = redisSpans();
      assert.equal(multi!.attributes['db.operation.name'], 'MULTI');
      assert.equal(multi!.status.code, SpanStatusCode.ERROR);
      assert.equal(multi!.attributes['error.type'], 'WRONGTYPE');
      assert.equal(multi!.attributes['db.response.status_code'], 'WRONGTYPE');
      assert.match(String(multi!.events[0]?.attributes?.['exception.message']), /^WRONGTYPE /);
      const measured = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
      assert.equal(measured.at(-1)!.attributes['error.type'], 'WRONGTYPE');
    });

    test('50 concurrent requests on a client still connecting each get their own spans, and the handshake none', async () => {
      const other = make();
      inProcess.clear();
      // Database 3: the client's connection setup sends SELECT, which must not show up.
      other.connectLater(server.url, 3);
      const issued = Array.from({ length: 50 }, (_, i) => {
        const request = inRequest(`GET /item/${i}`);
        return runWithContext(request.ctx, async () => {
          await other.set(`item:${i}`, `secret-${i}`);
          const value = await other.get(`item:${i}`);
          assert.equal(value, `secret-${i}`);
          assert.equal(trace.getSpan(activeContext())?.spanContext().spanId, request.spanId);
          return request.spanId;
        });
      });
      const spanIds = await Promise.all(issued);
      await waitForSpans(inProcess.spans, 100);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const spans = redisSpans();
      assert.equal(spans.length, 100, spans.map((s) => s.name).join(', '));
      for (const span of spans) {
        const i = Number(String(span.attributes['db.query.text']).split(':')[1]!.split(' ')[0]);
        assert.equal(span.parentSpanId, spanIds[i], `${span.attributes['db.query.text']} under its own request`);
        assert.equal(span.attributes['db.namespace'], driver.connectionKnown ? '3' : undefined);
      }
      await other.close();
    });

    test('a command outside any request records its duration but starts no trace', async () => {
      inProcess.clear();
      await driver.get('user:42');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(redisSpans().length, 0);
      assert.ok(inProcess.measurements.some((m) => m.attributes['db.operation.name'] === 'GET'));
    });

    test('wrong arguments fail exactly as they do without the instrumentation', async () => {
      const outcome = async (fn: () => unknown) => {
        try {
          const result = fn();
          return ['returned', await Promise.resolve(result).then((v) => ['value', v], (e: Error) => ['rejected', e?.constructor?.name, e?.message])];
        } catch (e) {
          return ['threw', (e as Error)?.constructor?.name, (e as Error)?.message];
        }
      };
      const request = inRequest();
      const patched = await runWithContext(request.ctx, () => outcome(() => driver.wrongArguments()));
      const unpatched = await outcome(() => driver.wrongArgumentsUnpatched());
      assert.deepEqual(patched, unpatched);
    });
  });
}
