import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addExceptionAttributes, addStackAttributes, remainingErrorFields } from '../../../instrumentations/log-bridge/exception-attributes.js';
import { copyFields, stripAnsi } from '../../../instrumentations/log-bridge/record-fields.js';

class ValidationError extends Error {}

test('an Error becomes exception.type, exception.message and exception.stacktrace', () => {
  const error = new TypeError('bad input');
  const attributes: Record<string, unknown> = {};
  assert.equal(addExceptionAttributes(attributes, error), true);
  assert.deepEqual(attributes, { 'exception.type': 'TypeError', 'exception.message': 'bad input', 'exception.stacktrace': error.stack });
});

test('the type of an Error subclass without its own name is the class name', () => {
  const attributes: Record<string, unknown> = {};
  addExceptionAttributes(attributes, new ValidationError('no'));
  assert.equal(attributes['exception.type'], 'ValidationError');
});

test('serialized errors (pino type, bunyan name) are recognised', () => {
  const pino: Record<string, unknown> = {};
  addExceptionAttributes(pino, { type: 'RangeError', message: 'm', stack: 'RangeError: m\n    at x' });
  assert.equal(pino['exception.type'], 'RangeError');
  const bunyan: Record<string, unknown> = {};
  addExceptionAttributes(bunyan, { name: 'Error', message: 'm', stack: 's', code: 'E1' });
  assert.equal(bunyan['exception.type'], 'Error');
  assert.deepEqual(remainingErrorFields({ name: 'Error', message: 'm', stack: 's', code: 'E1', signal: undefined }), { code: 'E1' });
  assert.equal(remainingErrorFields({ type: 'Error', message: 'm', stack: 's' }), undefined);
});

test('values that are not errors are not taken as exceptions', () => {
  const attributes: Record<string, unknown> = {};
  for (const value of [undefined, null, 'boom', 42, ['a'], { code: 1 }]) assert.equal(addExceptionAttributes(attributes, value), false);
  assert.deepEqual(attributes, {});
});

test('attributes the app already set are kept', () => {
  const attributes: Record<string, unknown> = { 'exception.message': 'mine' };
  addExceptionAttributes(attributes, new Error('theirs'));
  assert.equal(attributes['exception.message'], 'mine');
});

test('a bare stack string gives type and message from its first line', () => {
  const attributes: Record<string, unknown> = {};
  addStackAttributes(attributes, 'SyntaxError: Unexpected token\n    at JSON.parse (<anonymous>)');
  assert.deepEqual(attributes, {
    'exception.stacktrace': 'SyntaxError: Unexpected token\n    at JSON.parse (<anonymous>)',
    'exception.type': 'SyntaxError',
    'exception.message': 'Unexpected token',
  });
});

test('record fields are copied without bookkeeping, body and exception keys', () => {
  const attributes: Record<string, unknown> = {};
  const fields = { level: 30, msg: 'hi', err: {}, user: 'ann', nested: { a: 1 }, gone: undefined };
  Object.defineProperty(fields, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
  copyFields(attributes, fields, new Set(['level']), 'msg', 'err');
  assert.deepEqual(attributes, { user: 'ann', nested: { a: 1 } });
});

test('colour codes are removed from text', () => {
  assert.equal(stripAnsi('\u001b[32minfo\u001b[39m done'), 'info done');
  assert.equal(stripAnsi('plain'), 'plain');
});
