// The AWS SDK loop (run by bench/aws/run.mjs, plain or under a launcher): DynamoDB GetItem calls of
// @aws-sdk/client-dynamodb against dynalite on loopback (DB_URL, started by the bench as the tests
// start it, test/support/servers/aws-local.ts), in the measured loop of bench/lib/op-loop.cjs.
const { measureLoop } = require('../lib/op-loop.cjs');
const { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');

async function connect() {
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: process.env.DB_URL, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const TableName = `bench-${process.pid}`;
  await client.send(
    new CreateTableCommand({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  await client.send(new PutItemCommand({ TableName, Item: { id: { S: '1' }, name: { S: 'bench' } } }));
  const get = new GetItemCommand({ TableName, Key: { id: { S: '1' } } });
  return {
    op: (_i, cb) => client.send(get).then(() => cb(), cb),
    close: () => client.destroy(),
  };
}

measureLoop(connect);
