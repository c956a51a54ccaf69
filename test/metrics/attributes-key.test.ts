import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesBase, SeriesTable } from '../../src/metrics/attributes-key.js';
import type { Attributes } from '../../src/core/types.js';

function table(limit?: number) {
  return new SeriesTable<SeriesBase>((a, h) => new SeriesBase(a, h, [0, 0]), limit);
}

test('the same attributes in another key order or another object find the same series', () => {
  const t = table();
  const a = t.get({ x: 1, y: 'b', z: [1, 2] });
  assert.equal(t.get({ z: [1, 2], y: 'b', x: 1 }), a);
  assert.equal(t.get({ y: 'b', x: 1, z: [1, 2] }), a);
  assert.equal(t.size, 1);
});

test('values of different types or different arrays are different series', () => {
  const t = table();
  const series = [t.get({ v: 1 }), t.get({ v: '1' }), t.get({ v: true }), t.get({ v: [1] }), t.get({ v: ['1'] }), t.get({ v: 1.5 }), t.get({})];
  assert.equal(new Set(series).size, series.length);
});

test('undefined, no attributes, and only invalid values all mean the empty set', () => {
  const t = table();
  const empty = t.get(undefined);
  assert.equal(t.get({}), empty);
  assert.equal(t.get({ bad: { nested: 1 } } as unknown as Attributes), empty);
  assert.equal(t.get({ gone: undefined }), empty);
  assert.deepEqual(empty.attributes, {});
});

test('a reused attributes object mutated after use is not counted under its old set', () => {
  const t = table();
  const attrs: Attributes = { status: 200 };
  const ok = t.get(attrs);
  assert.equal(t.get(attrs), ok);
  attrs.status = 500;
  const failed = t.get(attrs);
  assert.notEqual(failed, ok);
  assert.deepEqual(failed.attributes, { status: 500 });
  assert.deepEqual(ok.attributes, { status: 200 }, 'the stored set is a copy');
  attrs.extra = 'x';
  assert.deepEqual(t.get(attrs).attributes, { status: 500, extra: 'x' });
});

test('stored array values are copies of the caller arrays', () => {
  const t = table();
  const arr = ['a'];
  const s = t.get({ tags: arr });
  arr.push('b');
  assert.deepEqual(s.attributes.tags, ['a']);
  assert.notEqual(t.get({ tags: arr }), s);
});

test('hash collisions are resolved by comparing entries', () => {
  const t = table();
  const many = new Set<SeriesBase>();
  for (let i = 0; i < 5000; i++) many.add(t.get({ k: `v${i}`, n: i % 7 }));
  assert.equal(many.size, 5000 > 2000 ? 2001 : 5000);
  for (let i = 0; i < 2000; i++) assert.deepEqual(t.get({ n: i % 7, k: `v${i}` }).attributes, { k: `v${i}`, n: i % 7 });
});

test('evicted series are not returned, even from the identity cache', () => {
  const t = table();
  const attrs = { a: 1 };
  const s = t.get(attrs);
  t.evictUntouched();
  assert.equal(s.evicted, true);
  const again = t.get(attrs);
  assert.notEqual(again, s);
  again.touched = true;
  t.evictUntouched();
  assert.equal(t.get({ a: 1 }), again);
});

test('sets compared key by key: a different key, a missing or extra one, or a skipped invalid value in between', () => {
  const t = table();
  const ab = t.get({ a: 1, b: 2 });
  assert.notEqual(t.get({ a: 1, c: 2 }), ab, 'same count and values, another key');
  assert.notEqual(t.get({ a: 1 }), ab, 'a key fewer');
  assert.notEqual(t.get({ a: 1, b: 2, c: 3 }), ab, 'a key more');
  assert.notEqual(t.get({ b: 1, a: 2 }), ab, 'same keys, values swapped');
  assert.equal(t.get({ a: 1, bad: { nested: true }, b: 2 } as unknown as Attributes), ab, 'an invalid value is not part of the set');
  assert.equal(t.get({ b: 2, a: 1 }), ab, 'another order');
  // A key that names something on Object.prototype is still just a key.
  const withProtoName = t.get({ a: 1, toString: 'x' });
  assert.notEqual(withProtoName, ab);
  assert.equal(t.get({ toString: 'x', a: 1 }), withProtoName);
  assert.notEqual(t.get({ constructor: 'x', a: 1 }), withProtoName);
  assert.equal(t.size, 7);
});
