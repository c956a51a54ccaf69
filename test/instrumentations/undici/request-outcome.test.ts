import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure } from '../../../instrumentations/undici/request-outcome.js';

test('a connection error is named by its string code', () => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  assert.deepEqual(describeFailure(error), { errorType: 'ECONNREFUSED', cancelled: false });
});

test("an AbortController abort is a cancellation named 'AbortError', whatever its code", () => {
  const controller = new AbortController();
  controller.abort();
  assert.deepEqual(describeFailure(controller.signal.reason), { errorType: 'AbortError', cancelled: true });
  // undici's RequestAbortedError: name AbortError, code UND_ERR_ABORTED.
  const undiciAbort = Object.assign(new Error('Request aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });
  assert.deepEqual(describeFailure(undiciAbort), { errorType: 'AbortError', cancelled: true });
});

test('a timeout signal is an error, named TimeoutError (DOMException codes are numbers, not identifiers)', () => {
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  assert.deepEqual(describeFailure(timeout), { errorType: 'TimeoutError', cancelled: false });
});

test('a reason that is not an Error is a cancellation (abort(reason), a collected unread body)', () => {
  assert.deepEqual(describeFailure('Response object has been garbage collected'), { errorType: 'AbortError', cancelled: true });
  assert.deepEqual(describeFailure(undefined), { errorType: 'AbortError', cancelled: true });
});

test('an error without code falls back to its name, then to _OTHER', () => {
  assert.deepEqual(describeFailure(new TypeError('bad')), { errorType: 'TypeError', cancelled: false });
  assert.deepEqual(describeFailure({}), { errorType: '_OTHER', cancelled: false });
});
