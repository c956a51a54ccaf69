// db.query.text of a MongoDB command: its shape, never its values, bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MONGODB_TEXT_MAX, mongoCommandText } from '../../../instrumentations/mongodb/command-text.js';
import { commandName, commandOperation } from '../../../instrumentations/mongodb/command.js';

const { ObjectId, Long, Decimal128 } = require('mongodb') as typeof import('mongodb');

test('field names and operators are kept, every value is a ?, a list of values is one ?', () => {
  const command = {
    find: 'orders',
    filter: { _id: new ObjectId(), 'customer.email': 'ada@example.com', total: { $gte: Decimal128.fromString('9.99') }, tags: { $in: ['a', 'b', 'c'] } },
    sort: { created: -1 },
    limit: 10,
    lsid: { id: 'session' },
    $db: 'shop',
  };
  assert.equal(
    mongoCommandText(command, 'find', 'orders'),
    '{"find":"orders","filter":{"_id":"?","customer.email":"?","total":{"$gte":"?"},"tags":{"$in":["?"]}},"sort":{"created":"?"},"limit":"?"}',
  );
});

test('documents being written are one ?, update and delete statements keep their shape, pipelines their stages', () => {
  assert.equal(mongoCommandText({ insert: 'users', documents: [{ email: 'x', password: 'secret' }], ordered: true }, 'insert', 'users'), '{"insert":"users","documents":"?","ordered":"?"}');
  assert.equal(
    mongoCommandText({ aggregate: 'orders', pipeline: [{ $match: { status: 'paid' } }, { $group: { _id: '$customer', n: { $sum: 1 } } }], cursor: {} }, 'aggregate', 'orders'),
    '{"aggregate":"orders","pipeline":[{"$match":{"status":"?"}},{"$group":{"_id":"?","n":{"$sum":"?"}}}],"cursor":{}}',
  );
  // The driver 7 sends a bulk write's statements as an OP_MSG document sequence.
  const sequence = { field: 'deletes', documents: [{ q: { email: 'secret@example.com' }, limit: 1 }], chunks: [] };
  assert.equal(mongoCommandText({ delete: 'users', deletes: sequence }, 'delete', 'users'), '{"delete":"users","deletes":[{"q":{"email":"?"},"limit":"?"}]}');
  const operation = commandOperation({ db: 'app' }, { delete: 'users', deletes: { ...sequence, documents: [sequence.documents[0], sequence.documents[0]] } }, 'delete');
  assert.equal(operation.batchSize, 2);
});

test('a command\'s first value is kept only when it names a collection; getMore names its collection apart', () => {
  assert.equal(mongoCommandText({ createUser: 'alice', pwd: 'secret', roles: [] }, 'createUser', undefined), '{"createUser":"?","pwd":"?","roles":[]}');
  assert.equal(commandOperation({ db: 'admin' }, { createUser: 'alice', pwd: 'secret' }, 'createUser').collectionName, undefined);
  const getMore = commandOperation({ db: 'shop' }, { getMore: Long.fromNumber(123456789), collection: 'orders', batchSize: 10 }, 'getMore');
  assert.equal(getMore.collectionName, 'orders');
  assert.equal(getMore.queryText, '{"getMore":"?","collection":"orders","batchSize":"?"}');
  assert.equal(commandOperation({ db: 'shop' }, { aggregate: 1, pipeline: [{ $currentOp: {} }] }, 'aggregate').collectionName, undefined);
});

test('the driver\'s own connection work is no command of the app\'s', () => {
  for (const command of [{ hello: 1 }, { isMaster: 1 }, { ismaster: 1 }, { saslStart: 1, payload: 'x' }, { saslContinue: 1 }]) assert.equal(commandName(command), undefined);
  assert.equal(commandName({ ping: 1 }), 'ping');
  assert.equal(commandName(null), undefined);
  assert.equal(commandName({}), undefined);
});

test('huge and deep commands stay bounded and never throw', () => {
  const or = Array.from({ length: 10_000 }, (_, i) => ({ [`field${i}`]: `secret-${i}` }));
  const text = mongoCommandText({ find: 'c', filter: { $or: or } }, 'find', 'c');
  assert.ok(text.length <= MONGODB_TEXT_MAX, String(text.length));
  assert.doesNotMatch(text, /secret-/);
  assert.match(text, /,"…"\]/);
  let deep: Record<string, unknown> = { v: 'secret' };
  for (let i = 0; i < 100; i++) deep = { d: deep };
  const nested = mongoCommandText({ find: 'c', filter: deep }, 'find', 'c');
  assert.doesNotMatch(nested, /secret/);
  const wide: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) wide[`key${i}`] = i;
  assert.ok(mongoCommandText({ find: 'c', filter: wide }, 'find', 'c').length <= MONGODB_TEXT_MAX);
});
