// A fault of ours inside the aws-sdk instrumentation (here its tracer throws on every startSpan) never
// reaches the app: its DynamoDB calls against dynalite answer as they would unpatched, in both the
// promise and the callback form, and the SDK's HTTP requests are still traced by http.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { instrumentWithFaultyTracer } from '../../support/in-process-instrumentation.js';
import { LOCAL_CREDENTIALS, startDynalite, type AwsServer } from '../../support/servers/aws-local.js';

const spans = instrumentWithFaultyTracer(['aws-sdk', 'http'], 'aws-sdk');
const Dynamo = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');

let server: AwsServer;
before(async () => {
  server = await startDynalite();
});
after(() => server?.stop());

test('a throwing tracer: the calls answer as unpatched, errors included, and only http traces them', async () => {
  const dynamo = new Dynamo.DynamoDBClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    const listed = await dynamo.send(new Dynamo.ListTablesCommand({}));
    assert.deepEqual(listed.TableNames, []);
    const missing = await dynamo.send(new Dynamo.GetItemCommand({ TableName: 'missing', Key: { id: { S: '1' } } })).catch((error: unknown) => error);
    assert.ok(missing instanceof Dynamo.ResourceNotFoundException);
    const viaCallback = await new Promise((resolve, reject) => dynamo.send(new Dynamo.ListTablesCommand({}), (error: unknown, output: unknown) => (error ? reject(error) : resolve(output))));
    assert.deepEqual((viaCallback as { TableNames: string[] }).TableNames, []);
  } finally {
    dynamo.destroy();
  }
  for (let turn = 0; turn < 100 && spans.length < 3; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(
    spans.map((s) => s.scope.name),
    ['otel-instrument/http', 'otel-instrument/http', 'otel-instrument/http'],
  );
});
