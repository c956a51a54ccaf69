import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeCache, type Shape } from '../../src/hook/shape-cache.js';
import { sharedSet } from '../../src/core/shared-attributes.js';

class Entry implements Shape<{ n: number }> {
  constructor(readonly n: number) {}
  matches(info: { n: number }): boolean {
    return info.n === this.n;
  }
}

test('a shape cache finds entries by key then by their own fields, and keeps no more than its bound', () => {
  const cache = new ShapeCache<string, { n: number }, Entry>(2);
  cache.add('a', new Entry(1));
  cache.add('a', new Entry(2));
  cache.add('b', new Entry(3)); // past the bound: not kept
  assert.equal(cache.find('a', { n: 2 })?.n, 2);
  assert.equal(cache.find('a', { n: 3 }), undefined);
  assert.equal(cache.find('b', { n: 3 }), undefined);
  assert.equal(cache.size, 2);
});

test('sets made for kept entries are shared; past the bound they are only frozen', () => {
  const cache = new ShapeCache<string, { n: number }, Entry>(1);
  const kept = cache.frozenSet({ 'db.system.name': 'redis' });
  assert.ok(Object.isFrozen(kept));
  assert.equal(sharedSet(kept)?.count, 1);
  cache.add('a', new Entry(1));
  const perCall = cache.frozenSet({ 'db.system.name': 'redis' });
  assert.ok(Object.isFrozen(perCall));
  assert.equal(sharedSet(perCall), undefined);
});
