import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remainingErrorFields } from '../../../instrumentations/log-bridge/remaining-error-fields.js';
import { copyFields, stripAnsi } from '../../../instrumentations/log-bridge/record-fields.js';

test('a serialized error keeps its fields other than type, name, message and stack', () => {
  assert.deepEqual(remainingErrorFields({ name: 'Error', message: 'm', stack: 's', code: 'E1', signal: undefined }), { code: 'E1' });
  assert.equal(remainingErrorFields({ type: 'Error', message: 'm', stack: 's' }), undefined);
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
