// Servers repeat values of the statement in their error messages: MySQL's "Duplicate entry
// 'bob@example.com' for key 'users.email'", MongoDB's "dup key: { email: "bob@example.com" }",
// PostgreSQL's 'invalid input syntax for type integer: "abc"'. A span's exception event and status
// message carry the message, so those values become `?` there, as they do in db.query.text. The error
// the app gets is untouched; only what we record is redacted.

import { redactorOf, type MessageRedactor } from '../../src/core/redacted-error.js';

// A quoted MySQL value: '' and backslash escapes inside.
const MYSQL_VALUE = String.raw`'(?:[^'\\]|\\[\s\S]|'')*'`;

export const redactMysqlMessage: MessageRedactor = redactorOf([
  // 1062 ER_DUP_ENTRY.
  [new RegExp(`Duplicate entry ${MYSQL_VALUE}`, 'g'), "Duplicate entry '?'"],
  // 1366, 1292 and the like: "Incorrect integer value: 'abc' for column", "Truncated incorrect DOUBLE value: 'x'".
  [new RegExp(` value: ${MYSQL_VALUE}`, 'g'), " value: '?'"],
  // 1064 ER_PARSE_ERROR quotes the statement from the error on.
  [/ near '[\s\S]*' at line (\d+)/g, " near '?' at line $1"],
]);

export const redactPostgresMessage: MessageRedactor = redactorOf([
  // 22P02 and kin: 'invalid input syntax for type integer: "abc"', 'invalid input value for enum mood: "x"'.
  [/(value|syntax|literal)( for [^:"]*): "(?:[^"]|"")*"/g, '$1$2: "?"'],
  // 42601 at a string literal: 'syntax error at or near "'secret'"'.
  [/at or near "'(?:[^']|'')*'"/g, `at or near "'?'"`],
]);

export const redactMongoMessage: MessageRedactor = redactorOf([
  // E11000: "... index: email_1 dup key: { email: "bob@example.com" }".
  [/dup key: \{[\s\S]*\}/g, 'dup key: { ? }'],
]);
