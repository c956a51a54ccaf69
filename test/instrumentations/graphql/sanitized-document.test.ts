// graphql.document as recorded: documents parsed by graphql 16 and 17 printed on one line, every
// literal replaced by ?, variables and the document's shape kept, bounded in length.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GRAPHQL_DOCUMENT_MAX, sanitizedDocument } from '../../../instrumentations/graphql/sanitized-document.js';

const parsers: Array<[string, (source: string, options?: object) => any]> = [
  ['graphql 16', require('graphql-16').parse],
  ['graphql 17', require('graphql').parse],
];

for (const [label, parse] of parsers) {
  describe(label, () => {
    const print = (source: string): string => sanitizedDocument(parse(source));

    test('strings, block strings, ints, floats, booleans and enums become ?; null stays', () => {
      assert.equal(
        print('{ a(s: "secret", b: """block secret""", i: 42, f: -3.5e2, t: true, e: ACTIVE, n: null) }'),
        '{ a(s: ?, b: ?, i: ?, f: ?, t: ?, e: ?, n: null) }',
      );
    });

    test('variables stay as written, in arguments, lists and input objects; default values are literals', () => {
      assert.equal(
        print('query Q($id: ID!, $tags: [String!] = ["x"], $n: Int = 3) { a(id: $id, in: {id: $id, limit: 10, nested: {deep: "x"}}, list: [$id, "lit"]) }'),
        'query Q($id: ID!, $tags: [String!] = ?, $n: Int = ?) { a(id: $id, in: {id: $id, limit: ?, nested: {deep: ?}}, list: [$id, ?]) }',
      );
    });

    test('a list without variables is one ?, whatever its length (its length is data too)', () => {
      assert.equal(print('{ a(ids: [1, 2, 3]) b(ids: []) c(objs: [{x: 1}]) }'), '{ a(ids: ?) b(ids: ?) c(objs: ?) }');
    });

    test('aliases, directives, fragments and inline fragments keep their place; comments are dropped', () => {
      assert.equal(
        print(`
          # who am I? hunter2
          query Me @live(ms: 100) {
            me: user(id: "1") @include(if: true) { ...F ... on Admin @skip(if: false) { level } ... { id } }
          }
          fragment F on User { name }
          mutation { go }
          subscription S { ticks }`),
        'query Me @live(ms: ?) { me: user(id: ?) @include(if: ?) { ...F ... on Admin @skip(if: ?) { level } ... { id } } } ' +
          'fragment F on User { name } mutation { go } subscription S { ticks }',
      );
    });

    test('an anonymous query prints as the shorthand; a named or variable-taking one with its keyword', () => {
      assert.equal(print('query { a }'), '{ a }');
      assert.equal(print('query ($x: Int) { a(x: $x) }'), 'query($x: Int) { a(x: $x) }');
    });

    test('type-system definitions in the document are not printed (only operations and fragments run)', () => {
      assert.equal(print('{ a } type Secret { field: String }'), '{ a }');
    });

    test('a long document is cut at the bound, with a mark', () => {
      const fields = Array.from({ length: 2000 }, (_, i) => `field${i}(arg: "v${i}")`).join(' ');
      const text = print(`{ ${fields} }`);
      assert.equal(text.length, GRAPHQL_DOCUMENT_MAX);
      assert.ok(text.endsWith(' …'));
      assert.ok(text.startsWith('{ field0(arg: ?) field1(arg: ?)'));
      assert.ok(!/v\d/.test(text));
    });

    test('the same document object is printed once', () => {
      const document = parse('{ a(x: 1) }');
      const first = sanitizedDocument(document);
      assert.equal(sanitizedDocument(document), first);
      // Same object, same string instance: taken from the cache.
      assert.ok(Object.is(sanitizedDocument(document), first));
    });
  });
}

test("graphql 17's experimental fragment arguments are sanitized like any other argument", () => {
  const { parse } = require('graphql');
  const document = parse('query { ...F(x: "secret") } fragment F($x: String) on Query { a(x: $x) }', { experimentalFragmentArguments: true });
  assert.equal(sanitizedDocument(document), '{ ...F(x: ?) } fragment F($x: String) on Query { a(x: $x) }');
});
