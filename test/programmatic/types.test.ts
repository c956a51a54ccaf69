// The shipped types (types/index.d.ts) against the implementation: the compiler checks the functions'
// shapes; this checks that every option the types name is a setting start() knows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Declared from '../../types/index.js';
import * as implementation from '../../src/programmatic/index.js';
import { optionsEnvironment } from '../../src/programmatic/index.js';

// A compile-time check: the implementation is assignable to what the types promise.
const shipped: { start: typeof Declared.start; shutdown: typeof Declared.shutdown } = implementation;

test('every option the types name sets its setting\'s variable', () => {
  assert.equal(typeof shipped.start, 'function');
  const declarations = readFileSync(join(__dirname, '..', '..', '..', 'types', 'index.d.ts'), 'utf8');
  const names = [...declarations.matchAll(/readonly (\w+)\?:/g)].map((match) => match[1]!);
  assert.ok(names.length >= 10, names.join(', '));
  for (const name of names) {
    const env = optionsEnvironment({ [name]: 'x' }, {});
    assert.equal(Object.keys(env).length, 1, `${name} sets no setting`);
    assert.match(Object.keys(env)[0]!, /^OTEL_/, name);
  }
});
