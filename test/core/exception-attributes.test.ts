import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addExceptionAttributes,
  addStackAttributes,
  exceptionAttributes,
  writeExceptionAttributes,
} from '../../src/core/exception-attributes.js';
import { errorTypeOf } from '../../src/core/error-type.js';

class ValidationError extends Error {}
class Named extends Error {
  override name = 'NamedError';
}

test('an Error becomes exception.type, exception.message and exception.stacktrace', () => {
  const error = new TypeError('bad input');
  const attributes: Record<string, unknown> = {};
  assert.equal(addExceptionAttributes(attributes, error), true);
  assert.deepEqual(attributes, { 'exception.type': 'TypeError', 'exception.message': 'bad input', 'exception.stacktrace': error.stack });
  assert.deepEqual(exceptionAttributes(error), attributes);
});

test('the type of an Error subclass is its own name, else its class name', () => {
  assert.equal(exceptionAttributes(new ValidationError('no'))['exception.type'], 'ValidationError');
  assert.equal(exceptionAttributes(new Named('no'))['exception.type'], 'NamedError');
  assert.equal(exceptionAttributes(new DOMException('stop', 'AbortError'))['exception.type'], 'AbortError');
  // pg's DatabaseError names itself after the protocol message: 'error' says no more than 'Error'.
  class DatabaseError extends Error {
    override name = 'error';
  }
  assert.equal(exceptionAttributes(new DatabaseError('relation does not exist'))['exception.type'], 'DatabaseError');
});

test('serialized errors (pino type, bunyan name) are recognised, but an Error\'s own type field is not its class', () => {
  const pino: Record<string, unknown> = {};
  addExceptionAttributes(pino, { type: 'RangeError', message: 'm', stack: 'RangeError: m\n    at x' });
  assert.equal(pino['exception.type'], 'RangeError');
  const bunyan: Record<string, unknown> = {};
  addExceptionAttributes(bunyan, { name: 'Error', message: 'm', stack: 's', code: 'E1' });
  assert.equal(bunyan['exception.type'], 'Error');
  const parseError = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' });
  assert.equal(exceptionAttributes(parseError)['exception.type'], 'SyntaxError');
});

test('log bridges do not take values that are not errors as exceptions', () => {
  const attributes: Record<string, unknown> = {};
  for (const value of [undefined, null, 'boom', 42, ['a'], { code: 1 }]) assert.equal(addExceptionAttributes(attributes, value), false);
  assert.deepEqual(attributes, {});
});

test('a thrown string or other primitive is the exception message', () => {
  assert.deepEqual(exceptionAttributes('boom'), { 'exception.message': 'boom' });
  assert.deepEqual(exceptionAttributes(42), { 'exception.message': '42' });
  assert.deepEqual(exceptionAttributes(undefined), { 'exception.message': 'undefined' });
});

test('attributes the app already set are kept', () => {
  const attributes: Record<string, unknown> = { 'exception.message': 'mine' };
  writeExceptionAttributes(attributes, new Error('theirs'));
  assert.equal(attributes['exception.message'], 'mine');
  assert.equal(attributes['exception.type'], 'Error');
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

test('error.type is a string code first, then the class name, else _OTHER', () => {
  assert.equal(errorTypeOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
  assert.equal(errorTypeOf(new RangeError('x')), 'RangeError');
  assert.equal(errorTypeOf(new ValidationError('x')), 'ValidationError');
  // DOMException's legacy numeric code is not an identifier.
  assert.equal(errorTypeOf(new DOMException('late', 'TimeoutError')), 'TimeoutError');
  assert.equal(errorTypeOf({}), '_OTHER');
  assert.equal(errorTypeOf('boom'), '_OTHER');
  assert.equal(errorTypeOf(null), '_OTHER');
});
