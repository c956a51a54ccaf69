import { test } from 'node:test';
import assert from 'node:assert/strict';
import { satisfies } from '../../src/hook/version-range.js';

test('bounded ranges accept versions inside and reject the next major', () => {
  assert.equal(satisfies('4.21.2', '>=4.0.0 <6'), true);
  assert.equal(satisfies('5.0.0', '>=4.0.0 <6'), true);
  assert.equal(satisfies('6.0.0', '>=4.0.0 <6'), false);
  assert.equal(satisfies('3.9.9', '>=4.0.0 <6'), false);
});

test('alternatives, wildcards and exact versions', () => {
  assert.equal(satisfies('2.1.0', '1.x || >=2.1 <3'), true);
  assert.equal(satisfies('2.0.5', '1.x || >=2.1 <3'), false);
  assert.equal(satisfies('anything', '*'), true);
  assert.equal(satisfies(undefined, '*'), true);
  assert.equal(satisfies(undefined, '>=1'), false);
  assert.equal(satisfies('1.2.3', '1.2.3'), true);
  assert.equal(satisfies('v20.11.0', '>=20'), true);
  assert.equal(satisfies('not-a-version', '>=1'), false);
});

test('a pre-release is compared as its release: 5.0.0-beta.1 is in the 5.x range, not below 5.0.0', () => {
  assert.equal(satisfies('5.0.0-beta.1', '<5.0.0'), false);
  assert.equal(satisfies('5.0.0-beta.1', '>=5.0.0 <6'), true);
  assert.equal(satisfies('5.0.0-beta.1', '>=4.0.0 <5'), false);
  assert.equal(satisfies('4.22.0-rc.1', '>=4.0.0 <5'), true);
});
