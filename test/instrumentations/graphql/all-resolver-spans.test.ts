// graphql 15, 16 and 17 with every resolver traced (OTEL_NODE_GRAPHQL_RESOLVER_SPANS=all) in every
// list item (OTEL_NODE_GRAPHQL_RESOLVER_SPANS_LIST_ITEMS=all): property reads get spans too, an
// app's own default resolver keeps working, and results are what graphql gives without us.

import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { buildSchema, inRequest, loadGraphqlVersions, runIn } from './graphql-versions.js';

const recorded = instrumentInProcess(['graphql'], {
  OTEL_NODE_GRAPHQL_RESOLVER_SPANS: 'all',
  OTEL_NODE_GRAPHQL_RESOLVER_SPANS_LIST_ITEMS: 'all',
});
const versions = loadGraphqlVersions(recorded);

function resolverPaths(): string[] {
  return recorded.spans
    .filter((s: ReadableSpan) => s.attributes['graphql.selection.path'] !== undefined)
    .map((s) => String(s.attributes['graphql.selection.path']))
    .sort();
}

for (const { label, graphql: g } of versions) {
  describe(label, () => {
    const schema = buildSchema(g, () => 'http://127.0.0.1:1/');

    beforeEach(() => recorded.clear());

    test('every field of every list item gets a span, property reads included', async () => {
      const request = inRequest();
      const result = await runIn(request.ctx, () => g.graphql({ schema, source: '{ users { name friends { name } } }' }));
      assert.deepEqual(JSON.parse(JSON.stringify(result)), {
        data: { users: [{ name: 'ada', friends: [{ name: 'bob' }] }, { name: 'cy', friends: [{ name: 'di' }] }] },
      });
      assert.deepEqual(resolverPaths(), [
        'users',
        'users[0].friends',
        'users[0].friends[0].name',
        'users[0].name',
        'users[1].friends',
        'users[1].friends[0].name',
        'users[1].name',
      ]);
      const name = recorded.spans.find((s) => s.attributes['graphql.selection.path'] === 'users[1].name')!;
      assert.equal(name.name, 'User.name');
    });

    test("an app's own default resolver is still the one that runs, traced", async () => {
      const request = inRequest();
      const document = g.parse('{ users { name } }');
      const fieldResolver = (source: Record<string, unknown>, _args: unknown, _context: unknown, info: { fieldName: string }) =>
        typeof source[info.fieldName] === 'string' ? `<${String(source[info.fieldName])}>` : source[info.fieldName];
      recorded.clear();
      const result = await runIn(request.ctx, () => g.execute({ schema, document, fieldResolver }));
      assert.deepEqual(
        result.data.users.map((u: { name: string }) => u.name),
        ['<ada>', '<cy>'],
      );
      assert.deepEqual(resolverPaths(), ['users', 'users[0].name', 'users[1].name']);
    });
  });
}
