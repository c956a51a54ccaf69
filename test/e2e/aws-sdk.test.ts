// AWS SDK v3 under the real launcher, as a new user would try it: an express service (CommonJS and
// ES module) whose route stores a document in S3 (s3rver) and queries DynamoDB (dynalite), both real
// local servers (test/support/servers/aws-local.ts). What the OTLP receiver gets: per request, the
// route-named SERVER span with `S3.PutObject` and `DynamoDB.Query` CLIENT spans under its express handler span, each
// with its HTTP client span beneath it; and nothing of ours with OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sdk.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor } from '../support/run-cli.js';
import { startDynalite, startS3rver, type AwsServer } from '../support/servers/aws-local.js';

const SERVER = 2;
const CLIENT = 3;
const REQUESTS = 4;

interface Run {
  readonly spans: FlatSpan[];
  readonly statuses: number[];
  readonly bucket: string;
  readonly table: string;
}

describe('the AWS SDK under otel-instrument against s3rver and dynalite', () => {
  let s3: AwsServer;
  let dynamo: AwsServer;

  before(async () => {
    [s3, dynamo] = await Promise.all([startS3rver(), startDynalite()]);
  });

  after(async () => {
    await Promise.all([s3?.stop(), dynamo?.stop()]);
  });

  let runs = 0;

  /** The fixture run under the launcher, on a bucket and a table of its own (`invoices-<n>`, `orders-<n>`), hit by REQUESTS requests. */
  async function run(fixture: string, extraEnv: NodeJS.ProcessEnv, awaitSpans: (spans: FlatSpan[]) => boolean): Promise<Run> {
    runs++;
    const receiver = await GrpcReceiver.start();
    const app = startCli(['node', join(FIXTURES, 'aws-sdk', fixture)], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'invoices',
      S3_ENDPOINT: s3.endpoint,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      BUCKET: `invoices-${runs}`,
      TABLE: `orders-${runs}`,
      ...extraEnv,
    });
    try {
      const port = Number((await app.waitForLine(/listening (\d+)/, 20_000))[1]);
      const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, n) => httpGet(`http://127.0.0.1:${port}/orders/${fixture}-${n}`)));
      app.child.kill('SIGTERM');
      const exit = await app.exited();
      const spans = await waitFor(() => awaitSpans(receiver.spans()) && receiver.spans(), `spans (stderr: ${exit.stderr})`);
      return { spans, statuses: responses.map((r) => r.status), bucket: `invoices-${runs}`, table: `orders-${runs}` };
    } finally {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await receiver.close();
    }
  }

  for (const fixture of ['app.js', 'app.mjs']) {
    test(`${fixture}: each request's S3 upload and DynamoDB query are named CLIENT spans in its trace under the route's handler, the HTTP calls beneath them`, async () => {
      const isAws = (s: FlatSpan) => s.scope.name === 'otel-instrument/aws-sdk';
      const { spans, statuses, bucket, table } = await run(fixture, {}, (all) => all.filter((s) => s.kind === SERVER).length >= REQUESTS && all.filter(isAws).length >= 2 * REQUESTS + 2);
      assert.deepEqual(statuses, Array(REQUESTS).fill(200));
      const servers = spans.filter((s) => s.kind === SERVER);
      assert.equal(servers.length, REQUESTS);
      // The bucket and table made at startup: root AWS spans of their own.
      assert.deepEqual(spans.filter((s) => isAws(s) && s.parentSpanId === '').map((s) => s.name).sort(), ['DynamoDB.CreateTable', 'S3.CreateBucket']);
      for (const server of servers) {
        assert.equal(server.name, 'GET /orders/:id');
        // express's span for the route's handler, and the handler's AWS calls beneath it.
        const handler = spans.find((s) => s.scope.name === 'otel-instrument/express' && s.parentSpanId === server.spanId)!;
        assert.equal(handler.name, 'request handler - /orders/:id');
        const children = spans.filter((s) => isAws(s) && s.parentSpanId === handler.spanId && s.traceId === server.traceId);
        assert.deepEqual(children.map((s) => s.name).sort(), ['DynamoDB.Query', 'S3.PutObject']);
        for (const child of children) {
          assert.equal(child.kind, CLIENT);
          assert.equal(child.attributes['rpc.system'], 'aws-api');
          assert.equal(child.attributes['cloud.region'], 'eu-west-1');
          assert.equal(child.attributes['http.response.status_code'], 200);
          const http = spans.filter((s) => s.scope.name === 'otel-instrument/http' && s.kind === CLIENT && s.parentSpanId === child.spanId);
          assert.equal(http.length, 1, `the HTTP request of ${child.name}`);
        }
        const put = children.find((s) => s.name === 'S3.PutObject')!;
        assert.equal(put.attributes['aws.s3.bucket'], bucket);
        assert.match(String(put.attributes['aws.s3.key']), /^orders\/app\.m?js-\d\.json$/);
        const query = children.find((s) => s.name === 'DynamoDB.Query')!;
        assert.deepEqual(query.attributes['aws.dynamodb.table_names'], [table]);
        assert.equal((query.attributes['aws.dynamodb.consumed_capacity'] as string[]).length, 1);
        assert.match(String(query.attributes['aws.request_id']), /^[A-Z0-9]{20,}$/);
      }
      // No HTTP client span of the SDK's stands beside its AWS span: every one is an AWS span's child.
      const awsIds = new Set(spans.filter(isAws).map((s) => s.spanId));
      for (const http of spans.filter((s) => s.scope.name === 'otel-instrument/http' && s.kind === CLIENT)) assert.ok(awsIds.has(http.parentSpanId), http.name);
    });
  }

  test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sdk: the service works and no AWS span is made', async () => {
    const { spans, statuses } = await run('app.js', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sdk' }, (all) => all.filter((s) => s.kind === SERVER).length >= REQUESTS);
    assert.deepEqual(statuses, Array(REQUESTS).fill(200));
    assert.equal(spans.filter((s) => s.scope.name === 'otel-instrument/aws-sdk').length, 0);
    // The SDK's HTTP requests are still traced by http, now directly under each route span.
    assert.ok(spans.some((s) => s.scope.name === 'otel-instrument/http' && s.kind === CLIENT));
  });
});
