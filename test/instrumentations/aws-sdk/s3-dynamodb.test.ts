// AWS SDK v3 in this process against real local servers (test/support/servers/aws-local.ts): S3 calls
// against s3rver, DynamoDB calls against dynalite, with the http instrumentation on too. Each call is
// one CLIENT span `{Service}.{Operation}` with the AWS SDK, S3 and DynamoDB attributes, the HTTP client
// span of its request is its child (never a sibling), a service error follows the one error rule, and
// the app gets the SDK's own promise outcome, callback and error objects. DynamoDB calls are measured
// in db.client.operation.duration.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { LOCAL_CREDENTIALS, startDynalite, startS3rver, type AwsServer } from '../../support/servers/aws-local.js';

const inProcess = instrumentInProcess(['aws-sdk', 'http']);
// Loaded after the hooks are in place, as the bootstrap arranges for an app.
const S3 = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
const Dynamo = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');

const PARENT = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
const IN_REQUEST = trace.setSpan(ROOT_CONTEXT, PARENT);

function inRequest<T>(fn: () => Promise<T>): Promise<T> {
  return runWithContext(IN_REQUEST, fn);
}

/** The AWS span named `name` and the HTTP client spans beneath it (ended: each on its request's 'close', a tick after the SDK has the response). */
async function awsSpan(name: string): Promise<{ span: ReadableSpan; http: ReadableSpan[] }> {
  const spans = inProcess.spans.filter((s) => s.name === name);
  assert.equal(spans.length, 1, `${name} in ${inProcess.spans.map((s) => s.name).join(', ')}`);
  const span = spans[0]!;
  const children = () => inProcess.spans.filter((s) => s.scope.name === 'otel-instrument/http' && s.parentSpanId === span.spanId);
  for (let turn = 0; turn < 100 && children().length === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  return { span, http: children() };
}

describe('S3 against s3rver', () => {
  let server: AwsServer;
  let s3: InstanceType<typeof S3.S3Client>;

  before(async () => {
    server = await startS3rver();
    s3 = new S3.S3Client({ region: 'eu-west-1', endpoint: server.endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
    await s3.send(new S3.CreateBucketCommand({ Bucket: 'uploads' }));
  });

  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('PutObject and GetObject are CLIENT spans named S3.<Operation> with bucket, key, region and status, each HTTP request their child', async () => {
    inProcess.clear();
    const put = await inRequest(() => s3.send(new S3.PutObjectCommand({ Bucket: 'uploads', Key: 'reports/1.txt', Body: 'hello' })));
    assert.equal(put.$metadata.httpStatusCode, 200);
    const got = await inRequest(() => s3.send(new S3.GetObjectCommand({ Bucket: 'uploads', Key: 'reports/1.txt' })));
    assert.equal(await got.Body!.transformToString(), 'hello');

    for (const name of ['S3.PutObject', 'S3.GetObject']) {
      const { span, http } = await awsSpan(name);
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(span.scope.name, 'otel-instrument/aws-sdk');
      assert.equal(span.parentSpanId, PARENT.spanContext().spanId);
      assert.equal(span.traceId, PARENT.spanContext().traceId);
      assert.deepEqual(span.attributes, {
        'rpc.system': 'aws-api',
        'rpc.service': 'S3',
        'rpc.method': name.slice(3),
        'aws.s3.bucket': 'uploads',
        'aws.s3.key': 'reports/1.txt',
        'cloud.region': 'eu-west-1',
        'http.response.status_code': 200,
      });
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      // The SDK's HTTP request is the AWS span's child, in its trace; no HTTP span is the request's sibling.
      assert.equal(http.length, 1, name);
      assert.equal(http[0]!.kind, SpanKind.CLIENT);
      assert.equal(http[0]!.attributes['http.response.status_code'], 200);
    }
    assert.equal(inProcess.spans.filter((s) => s.parentSpanId === PARENT.spanContext().spanId).length, 2, 'only the two AWS spans are the request\'s children');
  });

  test('a GetObject on a missing bucket records NoSuchBucket by the error rule and rejects with the SDK\'s own error', async () => {
    inProcess.clear();
    const rejected = await inRequest(() => s3.send(new S3.GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))).then(
      () => assert.fail('resolved'),
      (error: unknown) => error as Error & { $metadata: { httpStatusCode: number } },
    );
    assert.equal(rejected.name, 'NoSuchBucket');
    assert.ok(rejected instanceof S3.NoSuchBucket);
    const { span, http } = await awsSpan('S3.GetObject');
    assert.equal(span.attributes['error.type'], 'NoSuchBucket');
    assert.equal(span.attributes['http.response.status_code'], 404);
    assert.equal(span.attributes['aws.s3.bucket'], 'no-such-bucket');
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: rejected.message });
    const exception = span.events.find((e) => e.name === 'exception')!;
    assert.equal(exception.attributes!['exception.type'], 'NoSuchBucket');
    assert.equal(exception.attributes!['exception.message'], rejected.message);
    assert.equal(http.length, 1);
  });

  test('the callback form: the span ends before the callback, which runs in the caller\'s context with the output', async () => {
    inProcess.clear();
    const { output, context } = await inRequest(
      () =>
        new Promise<{ output: unknown; context: unknown }>((resolve, reject) => {
          s3.send(new S3.HeadObjectCommand({ Bucket: 'uploads', Key: 'reports/1.txt' }), (error: unknown, data: unknown) => {
            if (error) reject(error);
            // Ended already: the span is in the recorded list when the app's callback runs.
            assert.equal(inProcess.spans.filter((s) => s.name === 'S3.HeadObject').length, 1);
            resolve({ output: data, context: activeContext() });
          });
        }),
    );
    assert.equal((output as { ContentLength: number }).ContentLength, 5);
    assert.equal(context, IN_REQUEST);
  });

  test('a call outside any trace starts its own trace, with the HTTP span still beneath it', async () => {
    inProcess.clear();
    await s3.send(new S3.ListObjectsV2Command({ Bucket: 'uploads' }));
    const { span, http } = await awsSpan('S3.ListObjectsV2');
    assert.equal(span.parentSpanId, undefined);
    assert.equal(http.length, 1);
  });
});

describe('DynamoDB against dynalite', () => {
  let server: AwsServer;
  let dynamo: InstanceType<typeof Dynamo.DynamoDBClient>;

  before(async () => {
    server = await startDynalite();
    dynamo = new Dynamo.DynamoDBClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS });
  });

  after(async () => {
    dynamo?.destroy();
    await server?.stop();
  });

  test('CreateTable, PutItem, GetItem, Query, Scan, BatchGetItem and ListTables carry the attributes dynamodb.md lists', async () => {
    inProcess.clear();
    await inRequest(async () => {
      await dynamo.send(
        new Dynamo.CreateTableCommand({
          TableName: 'orders',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
        }),
      );
      await dynamo.send(new Dynamo.PutItemCommand({ TableName: 'orders', Item: { id: { S: '1' }, amount: { N: '12' } }, ReturnConsumedCapacity: 'TOTAL' }));
      await dynamo.send(new Dynamo.GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } }, ConsistentRead: true, ProjectionExpression: 'amount' }));
      await dynamo.send(
        new Dynamo.QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': { S: '1' } },
          Limit: 10,
          ScanIndexForward: false,
          Select: 'ALL_ATTRIBUTES',
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      await dynamo.send(new Dynamo.ScanCommand({ TableName: 'orders', Segment: 0, TotalSegments: 2 }));
      await dynamo.send(new Dynamo.BatchGetItemCommand({ RequestItems: { orders: { Keys: [{ id: { S: '1' } }] } } }));
      await dynamo.send(new Dynamo.ListTablesCommand({ Limit: 5 }));
    });

    const create = (await awsSpan('DynamoDB.CreateTable')).span;
    // The client's first call: its region came from the SDK's provider while the call ran.
    assert.equal(create.attributes['cloud.region'], 'us-east-1');
    assert.deepEqual(create.attributes['aws.dynamodb.table_names'], ['orders']);
    assert.equal(create.attributes['aws.dynamodb.provisioned_read_capacity'], 5);
    assert.equal(create.attributes['aws.dynamodb.provisioned_write_capacity'], 2);

    const put = await awsSpan('DynamoDB.PutItem');
    assert.equal(put.span.attributes['rpc.system'], 'aws-api');
    assert.equal(put.span.attributes['rpc.service'], 'DynamoDB');
    assert.equal(put.span.attributes['rpc.method'], 'PutItem');
    assert.equal(put.span.attributes['cloud.region'], 'us-east-1');
    assert.equal(put.span.attributes['http.response.status_code'], 200);
    // dynalite answers with an x-amzn-requestid, as DynamoDB does.
    assert.match(String(put.span.attributes['aws.request_id']), /^[A-Z0-9]{20,}$/);
    assert.deepEqual(put.span.attributes['aws.dynamodb.table_names'], ['orders']);
    assert.deepEqual(put.span.attributes['aws.dynamodb.consumed_capacity'], ['{"TableName":"orders","CapacityUnits":1}']);
    assert.equal(put.http.length, 1);

    const get = (await awsSpan('DynamoDB.GetItem')).span;
    assert.equal(get.attributes['aws.dynamodb.consistent_read'], true);
    assert.equal(get.attributes['aws.dynamodb.projection'], 'amount');
    assert.equal(get.attributes['aws.dynamodb.consumed_capacity'], undefined, 'not asked for, not returned');

    const query = (await awsSpan('DynamoDB.Query')).span;
    assert.equal(query.attributes['aws.dynamodb.limit'], 10);
    assert.equal(query.attributes['aws.dynamodb.scan_forward'], false);
    assert.equal(query.attributes['aws.dynamodb.select'], 'ALL_ATTRIBUTES');
    const capacity = query.attributes['aws.dynamodb.consumed_capacity'] as string[];
    assert.equal(capacity.length, 1);
    assert.equal(JSON.parse(capacity[0]!).TableName, 'orders');

    const scan = (await awsSpan('DynamoDB.Scan')).span;
    assert.equal(scan.attributes['aws.dynamodb.segment'], 0);
    assert.equal(scan.attributes['aws.dynamodb.total_segments'], 2);
    assert.equal(typeof scan.attributes['aws.dynamodb.count'], 'number');
    assert.equal(typeof scan.attributes['aws.dynamodb.scanned_count'], 'number');

    assert.deepEqual((await awsSpan('DynamoDB.BatchGetItem')).span.attributes['aws.dynamodb.table_names'], ['orders']);
    const list = (await awsSpan('DynamoDB.ListTables')).span;
    assert.equal(list.attributes['aws.dynamodb.limit'], 5);
    assert.equal(list.attributes['aws.dynamodb.table_count'], 1);

    for (const span of inProcess.spans.filter((s) => s.scope.name === 'otel-instrument/aws-sdk')) {
      assert.equal(span.parentSpanId, PARENT.spanContext().spanId, span.name);
    }
    // Every call measured in db.client.operation.duration (dynamodb.md: the database client metrics).
    const durations = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
    assert.deepEqual(
      durations.map((m) => [m.scope, m.attributes['db.system.name'], m.attributes['db.operation.name'], m.attributes['db.collection.name']]),
      [
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'CreateTable', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'PutItem', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'GetItem', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'Query', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'Scan', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'BatchGetItem', 'orders'],
        ['otel-instrument/aws-sdk', 'aws.dynamodb', 'ListTables', undefined],
      ],
    );
    assert.ok(durations.every((m) => m.value > 0 && m.value < 10 && m.attributes['error.type'] === undefined));
  });

  test('a GetItem on a missing table: ResourceNotFoundException, the request id and status 400 on the span', async () => {
    inProcess.clear();
    const error = await dynamo.send(new Dynamo.GetItemCommand({ TableName: 'missing', Key: { id: { S: '1' } } })).then(
      () => assert.fail('resolved'),
      (e: unknown) => e as Error & { $metadata: { requestId: string } },
    );
    assert.ok(error instanceof Dynamo.ResourceNotFoundException);
    const { span } = await awsSpan('DynamoDB.GetItem');
    assert.equal(span.attributes['error.type'], 'ResourceNotFoundException');
    assert.equal(span.attributes['http.response.status_code'], 400);
    assert.equal(span.attributes['aws.request_id'], error.$metadata.requestId);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(span.attributes['aws.dynamodb.table_names'], ['missing']);
    const [measured] = inProcess.measurements.filter((m) => m.instrument === 'db.client.operation.duration');
    assert.deepEqual(measured!.attributes, {
      'db.system.name': 'aws.dynamodb',
      'db.operation.name': 'GetItem',
      'db.collection.name': 'missing',
      'error.type': 'ResourceNotFoundException',
    });
  });
});
