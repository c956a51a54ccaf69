import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sqlStateOf } from '../../../instrumentations/db/postgresql.js';

test('a SQLSTATE is read from the error code, whichever PostgreSQL driver made the error', () => {
  assert.equal(sqlStateOf(Object.assign(new Error('relation does not exist'), { code: '42P01', severity: 'ERROR' })), '42P01');
  // postgres.js's own error for a cancelled query carries the code without a severity.
  assert.equal(sqlStateOf(Object.assign(new Error('canceling statement due to user request'), { code: '57014' })), '57014');
  assert.equal(sqlStateOf({ code: 'P0001' }), 'P0001');
  assert.equal(sqlStateOf({ code: 'XX000' }), 'XX000');
});

test('a Node error code of five letters, a driver code and non-errors are no SQLSTATE', () => {
  for (const code of ['EPIPE', 'EPERM', 'ECONNREFUSED', 'CONNECTION_CLOSED', '4201', 42601]) {
    assert.equal(sqlStateOf(Object.assign(new Error('x'), { code })), undefined, String(code));
  }
  assert.equal(sqlStateOf(undefined), undefined);
  assert.equal(sqlStateOf('42P01'), undefined);
});
