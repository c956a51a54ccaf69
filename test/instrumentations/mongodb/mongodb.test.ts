// The mongodb driver 7 and 6 (and Mongoose on 7) in this process, through the real module hooks,
// against a MongoDB-wire-compatible server (test/support/servers/mongodb.ts: a real mongod when
// OTEL_TEST_MONGODB_URL names one, else MockupDB over mongomock from Debian). One CLIENT span per
// command, in the trace of the request that issued it, pooled connections included.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Context } from '@opentelemetry/api';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider, waitForSpans } from '../../support/in-process-instrumentation.js';
import { skipWithoutMongoDb, startMongoDb } from '../../support/servers/mongodb.js';
import type { TestServer } from '../../support/servers/redis.js';

const skip = skipWithoutMongoDb();
const inProcess = instrumentInProcess(['mongodb']);
const requests = recordingTracerProvider(() => {}).getTracer('test');

// Driver 6 is installed as `mongodb-6`, a name the require hook does not know: its two files are handed
// to the hooks under mongodb's own names before the package loads them, as the hook does for an app's.
for (const file of ['connection.js', 'connect.js']) {
  const path = require.resolve(`mongodb-6/lib/cmap/${file}`);
  inProcess.hooks.onLoad(require(path), `mongodb/lib/cmap/${file}`, dirname(dirname(dirname(path))));
}

function inRequest(name = 'GET /orders/:id'): { ctx: Context; spanId: string; end(): void } {
  const span = requests.startSpan(name, { kind: SpanKind.SERVER });
  return { ctx: trace.setSpan(ROOT_CONTEXT, span), spanId: span.spanContext().spanId, end: () => span.end() };
}

function mongoSpans(): ReadableSpan[] {
  return inProcess.spans.filter((span) => span.attributes['db.system.name'] === 'mongodb');
}

for (const driver of ['mongodb', 'mongodb-6']) {
  describe(`${driver} (driver ${require(`${driver}/package.json`).version})`, { skip }, () => {
    let server: TestServer;
    let client: any;
    let orders: any;
    const database = `shop_${driver.replace('-', '_')}`;

    before(async () => {
      server = await startMongoDb();
      const { MongoClient } = require(driver);
      client = new MongoClient(`${server.url}/${database}`, { maxPoolSize: 3, serverSelectionTimeoutMS: 5000 });
      orders = client.db().collection('orders');
      await orders.deleteMany({});
      await orders.createIndex({ email: 1 }, { unique: true });
      await orders.insertMany([
        { email: 'ada@example.com', total: 10 },
        { email: 'grace@example.com', total: 20 },
        { email: 'linus@example.com', total: 30 },
      ]);
    });

    after(async () => {
      await client?.close();
      await server?.stop();
    });

    test('find and its getMore are CLIENT children of the request, named by command and collection, values never recorded', async () => {
      inProcess.clear();
      const request = inRequest();
      const found = await runWithContext(request.ctx, async () => {
        const docs = await orders.find({ total: { $gt: 15 }, email: { $in: ['grace@example.com', 'linus@example.com'] } }, { batchSize: 1 }).toArray();
        // The app's own code after await runs in its request.
        assert.equal(trace.getSpan(activeContext())?.spanContext().spanId, request.spanId);
        return docs;
      });
      request.end();
      assert.deepEqual(found.map((d: any) => d.email).sort(), ['grace@example.com', 'linus@example.com']);
      const spans = mongoSpans();
      assert.deepEqual(spans.map((s) => s.name), ['find orders', 'getMore orders']);
      for (const span of spans) {
        assert.equal(span.kind, SpanKind.CLIENT);
        assert.equal(span.parentSpanId, request.spanId);
        assert.equal(span.attributes['db.namespace'], database);
        assert.equal(span.attributes['db.collection.name'], 'orders');
        assert.equal(span.attributes['server.address'], server.host);
        assert.equal(span.attributes['server.port'], server.port);
        assert.doesNotMatch(JSON.stringify(span.attributes), /example\.com|"15"|:15[,}]/);
      }
      assert.equal(spans[0]!.attributes['db.operation.name'], 'find');
      assert.equal(spans[0]!.attributes['db.query.text'], '{"find":"orders","filter":{"total":{"$gt":"?"},"email":{"$in":["?"]}},"batchSize":"?"}');
      assert.equal(spans[1]!.attributes['db.operation.name'], 'getMore');
      assert.match(String(spans[1]!.attributes['db.query.text']), /^\{"getMore":"\?","collection":"orders"/);
    });

    test('a bulk write of two updates is one update command, a batch of 2; inserted documents are never recorded', async () => {
      inProcess.clear();
      const request = inRequest();
      await runWithContext(request.ctx, async () => {
        await orders.bulkWrite([
          { updateOne: { filter: { email: 'ada@example.com' }, update: { $inc: { total: 1 } } } },
          { updateOne: { filter: { email: 'grace@example.com' }, update: { $set: { note: 'secret-note' } } } },
        ]);
        await orders.insertOne({ email: 'secret-new@example.com', total: 1 });
        await orders.deleteOne({ email: 'secret-new@example.com' });
      });
      request.end();
      const [update, insert, remove] = mongoSpans();
      assert.equal(update!.name, 'update orders');
      assert.equal(update!.attributes['db.operation.batch.size'], 2);
      assert.equal(
        update!.attributes['db.query.text'],
        '{"update":"orders","updates":[{"q":{"email":"?"},"u":{"$inc":{"total":"?"}}},{"q":{"email":"?"},"u":{"$set":{"note":"?"}}}],"ordered":"?"}',
      );
      assert.equal(insert!.name, 'insert orders');
      assert.equal(insert!.attributes['db.operation.batch.size'], undefined);
      assert.equal(insert!.attributes['db.query.text'], '{"insert":"orders","documents":"?","ordered":"?"}');
      assert.equal(remove!.name, 'delete orders');
      assert.doesNotMatch(JSON.stringify(mongoSpans().map((s) => s.attributes)), /secret-/);
    });

    test('a duplicate key is an ERROR span with the server\'s code, and the app gets the error the driver made', async () => {
      inProcess.clear();
      const request = inRequest();
      const error: any = await runWithContext(request.ctx, () => orders.insertOne({ email: 'ada@example.com' }).then(() => assert.fail('should reject'), (e: unknown) => e));
      request.end();
      assert.equal(error.code, 11000);
      const [span] = mongoSpans();
      assert.equal(span!.status.code, SpanStatusCode.ERROR);
      assert.equal(span!.attributes['db.response.status_code'], '11000');
      assert.equal(span!.attributes['error.type'], '11000');
      assert.equal(span!.events[0]?.name, 'exception');
      assert.equal(span!.events[0]?.attributes?.['exception.type'], 'MongoServerError');
      const measured = inProcess.measurements.find((m) => m.instrument === 'db.client.operation.duration' && m.attributes['error.type'] === '11000');
      assert.ok(measured, 'the failure is measured with its error.type');
      assert.equal(measured.attributes['db.query.text'], undefined);
    });

    test('a command the server refuses is an ERROR span with its code; the app gets the very same error object', async () => {
      inProcess.clear();
      const request = inRequest();
      const error: any = await runWithContext(request.ctx, () => client.db().command({ noSuchCommand: 1 }).then(() => assert.fail('should reject'), (e: unknown) => e));
      request.end();
      assert.equal(error.code, 59);
      const [span] = mongoSpans();
      assert.equal(span!.name, `noSuchCommand ${database}`);
      assert.equal(span!.attributes['db.response.status_code'], '59');
      assert.equal(span!.events[0]?.attributes?.['exception.message'], error.message);
      assert.equal(span!.status.message, error.message);
    });

    test('50 concurrent requests on a pool of 3: every command span is the child of the request that issued it', async () => {
      inProcess.clear();
      const issued = await Promise.all(
        Array.from({ length: 50 }, async (_, n) => {
          const request = inRequest(`GET /orders/${n}`);
          await runWithContext(request.ctx, async () => {
            await orders.findOne({ total: n });
            await orders.countDocuments({ total: { $gte: n } });
          });
          request.end();
          return request.spanId;
        }),
      );
      await waitForSpans(inProcess.spans, 100);
      const spans = mongoSpans();
      assert.equal(spans.length, 100);
      for (const spanId of issued) {
        assert.deepEqual(
          spans.filter((s) => s.parentSpanId === spanId).map((s) => s.name).sort(),
          ['aggregate orders', 'find orders'],
          `children of request ${spanId}`,
        );
      }
    });

    test('a command outside any request starts no trace but is measured', async () => {
      inProcess.clear();
      await orders.findOne({ email: 'ada@example.com' });
      assert.equal(mongoSpans().length, 0);
      const measured = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration' && m.attributes['db.system.name'] === 'mongodb');
      assert.equal(measured.length, 1);
      assert.equal(measured[0]!.attributes['db.operation.name'], 'find');
      assert.equal(measured[0]!.attributes['db.collection.name'], 'orders');
    });

    test('the handshake and heartbeats of a new client make no span, even when it connects inside a request', async () => {
      inProcess.clear();
      const { MongoClient } = require(driver);
      const other = new MongoClient(`${server.url}/${database}`, { heartbeatFrequencyMS: 500, serverSelectionTimeoutMS: 5000 });
      const request = inRequest();
      await runWithContext(request.ctx, () => other.db().command({ ping: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 1200));
      request.end();
      await other.close();
      assert.deepEqual(mongoSpans().map((s) => s.name), [`ping ${database}`]);
    });
  });
}

describe('Mongoose on the mongodb driver', { skip }, () => {
  let server: TestServer;
  let mongoose: any;

  before(async () => {
    server = await startMongoDb();
    mongoose = require('mongoose');
    await mongoose.connect(`${server.url}/zoo`, { serverSelectionTimeoutMS: 5000 });
  });

  after(async () => {
    await mongoose?.disconnect();
    await server?.stop();
  });

  test('a model query is a mongodb span in the request that issued it', async () => {
    const Animal = mongoose.model('Animal', new mongoose.Schema({ name: String, legs: Number }));
    await Animal.create({ name: 'secret-cat', legs: 4 });
    inProcess.clear();
    const request = inRequest();
    // A Query runs when awaited: awaited inside the request, as a handler does.
    const found = await runWithContext(request.ctx, async () => await Animal.find({ legs: 4 }).lean());
    request.end();
    assert.equal(found[0]?.name, 'secret-cat');
    const [span] = mongoSpans();
    assert.equal(span!.name, 'find animals');
    assert.equal(span!.parentSpanId, request.spanId);
    assert.equal(span!.attributes['db.namespace'], 'zoo');
    assert.doesNotMatch(JSON.stringify(span!.attributes), /secret-|"4"/);
  });
});
