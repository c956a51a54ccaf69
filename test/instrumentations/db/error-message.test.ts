// Values a server repeats in its error messages are redacted in what a span records; the app's error
// is never touched. Messages as the servers write them (MariaDB 10.11, PostgreSQL 15, MongoDB 7).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactMongoMessage, redactMysqlMessage, redactPostgresMessage } from '../../../instrumentations/db/error-message.js';
import { redactedError } from '../../../src/core/redacted-error.js';

test('MySQL and MariaDB: duplicate entries, incorrect values and the statement quoted by a syntax error', () => {
  assert.equal(redactMysqlMessage("Duplicate entry 'bob@example.com' for key 'users.email'"), "Duplicate entry '?' for key 'users.email'");
  assert.equal(redactMysqlMessage("Duplicate entry 'it''s\\'x' for key 'name'"), "Duplicate entry '?' for key 'name'");
  assert.equal(redactMysqlMessage("Incorrect integer value: 'abc' for column `db`.`t`.`n` at row 1"), "Incorrect integer value: '?' for column `db`.`t`.`n` at row 1");
  assert.equal(
    redactMysqlMessage("You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'WHERE name = 'secret'' at line 1"),
    "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '?' at line 1",
  );
  assert.equal(redactMysqlMessage("Table 'db.missing' doesn't exist"), "Table 'db.missing' doesn't exist");
});

test('PostgreSQL: invalid input values and a string literal at a syntax error; identifiers are kept', () => {
  assert.equal(redactPostgresMessage('invalid input syntax for type integer: "12a"'), 'invalid input syntax for type integer: "?"');
  assert.equal(redactPostgresMessage('invalid input value for enum mood: "elated"'), 'invalid input value for enum mood: "?"');
  assert.equal(redactPostgresMessage(`syntax error at or near "'secret'"`), `syntax error at or near "'?'"`);
  assert.equal(redactPostgresMessage('relation "orders" does not exist'), 'relation "orders" does not exist');
  assert.equal(redactPostgresMessage('duplicate key value violates unique constraint "users_email_key"'), 'duplicate key value violates unique constraint "users_email_key"');
});

test('MongoDB: the values of a duplicate key', () => {
  assert.equal(
    redactMongoMessage('E11000 duplicate key error collection: shop.users index: email_1 dup key: { email: "bob@example.com" }'),
    'E11000 duplicate key error collection: shop.users index: email_1 dup key: { ? }',
  );
});

test('the recorded error is the same object when nothing changes, else a copy with the type kept and the stack redacted too', () => {
  const plain = new Error('relation "x" does not exist');
  assert.equal(redactedError(plain, redactPostgresMessage), plain);
  class DatabaseError extends Error {}
  const error = new DatabaseError('invalid input syntax for type integer: "secret"');
  const recorded = redactedError(error, redactPostgresMessage) as { type: string; message: string; stack: string };
  assert.equal(recorded.type, 'DatabaseError');
  assert.equal(recorded.message, 'invalid input syntax for type integer: "?"');
  assert.doesNotMatch(recorded.stack, /secret/);
  assert.equal(error.message, 'invalid input syntax for type integer: "secret"');
  assert.equal(redactedError('invalid input syntax for type uuid: "s"', redactPostgresMessage), 'invalid input syntax for type uuid: "?"');
  assert.equal(redactedError(undefined, redactPostgresMessage), undefined);
});
