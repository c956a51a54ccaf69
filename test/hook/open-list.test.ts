import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenList, type OpenLink } from '../../src/hook/open-list.js';

interface Entry extends OpenLink {
  name: string;
}

function entry(name: string): Entry {
  return { name, openPrev: undefined, openNext: undefined };
}

function names(list: OpenList<Entry>): string[] {
  const seen: string[] = [];
  list.forEach((e) => seen.push(e.name));
  return seen.sort();
}

test('entries are listed until deleted, from any position; a second delete says false', () => {
  const list = new OpenList<Entry>();
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [Entry, Entry, Entry, Entry];
  for (const e of [a, b, c, d]) list.add(e);
  assert.deepEqual(names(list), ['a', 'b', 'c', 'd']);
  assert.equal(list.delete(b), true); // middle
  assert.equal(list.delete(d), true); // newest
  assert.equal(list.delete(a), true); // oldest
  assert.deepEqual(names(list), ['c']);
  assert.equal(list.delete(b), false);
  assert.equal(list.delete(entry('never added')), false);
  assert.equal(list.delete(c), true);
  assert.deepEqual(names(list), []);
});

test('a deleted entry holds no link to its former neighbours', () => {
  const list = new OpenList<Entry>();
  const [a, b, c] = ['a', 'b', 'c'].map(entry) as [Entry, Entry, Entry];
  for (const e of [a, b, c]) list.add(e);
  list.delete(b);
  assert.equal(b.openPrev, undefined);
  assert.equal(b.openNext, undefined);
  // And can be listed again.
  list.add(b);
  assert.deepEqual(names(list), ['a', 'b', 'c']);
});

test('forEach visits every entry once even when the callback deletes the one it is given', () => {
  const list = new OpenList<Entry>();
  for (const name of ['a', 'b', 'c', 'd', 'e']) list.add(entry(name));
  const visited: string[] = [];
  list.forEach((e) => {
    visited.push(e.name);
    assert.equal(list.delete(e), true);
  });
  assert.deepEqual(visited.sort(), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(names(list), []);
});
