// The ESM loader's include list: a package's internal files are matched by their resolved URL, since
// the package imports them by relative specifiers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { esmIncludeList } from '../../src/hook/esm-hooks.js';

test('names are kept; internal files, scoped or not, get a pattern on their URL; packages and builtins none', () => {
  const include = esmIncludeList(['postgres', 'postgres/src/query.js', '@redis/client', '@redis/client/dist/lib/client/index.js', 'http']);
  const patterns = include.filter((entry): entry is RegExp => entry instanceof RegExp);
  assert.deepEqual(include.filter((entry) => typeof entry === 'string'), ['postgres', 'postgres/src/query.js', '@redis/client', '@redis/client/dist/lib/client/index.js', 'http']);
  assert.equal(patterns.length, 2);
  assert.ok(patterns[0]!.test('file:///app/node_modules/postgres/src/query.js'));
  assert.ok(!patterns[0]!.test('file:///app/node_modules/postgres/src/queryXjs'));
  assert.ok(!patterns[0]!.test('file:///app/node_modules/other/postgres/src/query.js.map'));
  assert.ok(patterns[1]!.test('file:///app/node_modules/@redis/client/dist/lib/client/index.js'));
});
