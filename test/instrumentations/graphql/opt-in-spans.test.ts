// graphql 15, 16 and 17 with the opt-in settings: the sanitized document
// (OTEL_NODE_GRAPHQL_CAPTURE_DOCUMENT), `{type} {name}` span names
// (OTEL_NODE_GRAPHQL_OPERATION_NAME_IN_SPAN_NAME), and resolver spans for the fields that have a
// resolver of their own, the first item of each list only (OTEL_NODE_GRAPHQL_RESOLVER_SPANS=nontrivial).

import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { buildSchema, downstreamServer, exceptionEvents, inRequest, loadGraphqlVersions, runIn, seenSpanIds, spansNamed } from './graphql-versions.js';

const recorded = instrumentInProcess(['graphql', 'http'], {
  OTEL_NODE_GRAPHQL_CAPTURE_DOCUMENT: 'true',
  OTEL_NODE_GRAPHQL_OPERATION_NAME_IN_SPAN_NAME: 'true',
  OTEL_NODE_GRAPHQL_RESOLVER_SPANS: 'nontrivial',
});
const versions = loadGraphqlVersions(recorded);
const downstream = downstreamServer();

function graphqlSpans(): ReadableSpan[] {
  return recorded.spans.filter((s) => s.scope.name === 'otel-instrument/graphql');
}

function resolverSpans(): ReadableSpan[] {
  return graphqlSpans().filter((s) => s.attributes['graphql.selection.field.coordinate'] !== undefined);
}

const SECRETS = ['s3cret', '4242', '3.14', 'GONE', 'true', 'hunter2', 'X1'];

for (const { label, graphql: g } of versions) {
  describe(label, () => {
    const schema = buildSchema(g, () => downstream.url);

    beforeEach(() => recorded.clear());

    test('graphql.document keeps the shape and the variables and replaces every literal (string, number, boolean, enum, lists) with ?', async () => {
      const request = inRequest();
      const source = `
        query Look($id: ID!, $flag: Boolean = true) {
          # a comment with hunter2
          who: user(id: $id) { name @include(if: $flag) ...Names }
          other: user(id: "s3cret") { id @skip(if: false) }
          hello(name: """X1 block""")
          status(of: GONE)
          more: hello(name: "4242")
        }
        fragment Names on User { friends { ... on User { upper } } }`;
      await runIn(request.ctx, () => g.graphql({ schema, source, variableValues: { id: '1' } }));
      const operation = spansNamed(graphqlSpans(), 'query Look')[0];
      assert.ok(operation, graphqlSpans().map((s) => s.name).join(', '));
      const document = String(operation.attributes['graphql.document']);
      assert.equal(
        document,
        'query Look($id: ID!, $flag: Boolean = ?) { who: user(id: $id) { name @include(if: $flag) ...Names } other: user(id: ?) { id @skip(if: ?) } ' +
          'hello(name: ?) status(of: ?) more: hello(name: ?) } fragment Names on User { friends { ... on User { upper } } }',
      );
      for (const secret of SECRETS) assert.ok(!document.includes(secret), `${secret} in ${document}`);
    });

    test('the operation span is named `{type} {name}`, an anonymous one `{type}`', async () => {
      const request = inRequest();
      await runIn(request.ctx, () => g.graphql({ schema, source: 'mutation Rename { rename(id: "1", name: "n") { id } }' }));
      await runIn(request.ctx, () => g.graphql({ schema, source: '{ hello }' }));
      const names = graphqlSpans()
        .filter((s) => s.attributes['graphql.operation.type'] !== undefined)
        .map((s) => s.name);
      assert.deepEqual(names, ['mutation Rename', 'query']);
    });

    test('resolver spans: one per field with a resolver of its own, none for plain property reads, the first list item only', async () => {
      const request = inRequest();
      const result = await runIn(request.ctx, () => g.graphql({ schema, source: 'query Q { users { id name upper friends { name upper } } }' }));
      assert.deepEqual(JSON.parse(JSON.stringify(result)).data.users[1], { id: '3', name: 'cy', upper: 'CY', friends: [{ name: 'di', upper: 'DI' }] });
      const operation = spansNamed(graphqlSpans(), 'query Q')[0]!;
      const resolvers = resolverSpans();
      assert.deepEqual(
        resolvers.map((s) => s.attributes['graphql.selection.path']).sort(),
        ['users', 'users[0].friends', 'users[0].friends[0].upper', 'users[0].upper'],
      );
      for (const span of resolvers) {
        assert.equal(span.kind, SpanKind.INTERNAL);
        assert.equal(span.parentSpanId, operation.spanId);
      }
      const upper = resolvers.find((s) => s.attributes['graphql.selection.path'] === 'users[0].friends[0].upper')!;
      assert.equal(upper.name, 'User.upper');
      assert.deepEqual(upper.attributes, {
        'graphql.selection.name': 'upper',
        'graphql.selection.path': 'users[0].friends[0].upper',
        'graphql.selection.field.name': 'upper',
        'graphql.selection.field.parent_type': 'User',
        'graphql.selection.field.coordinate': 'User.upper',
      });
    });

    test('an alias is the selection name and the path; the field name and coordinate stay the schema ones', async () => {
      const request = inRequest();
      await runIn(request.ctx, () => g.graphql({ schema, source: '{ greeting: hello(name: "x") }' }));
      const [span] = resolverSpans();
      assert.equal(span?.name, 'Query.hello');
      assert.equal(span.attributes['graphql.selection.name'], 'greeting');
      assert.equal(span.attributes['graphql.selection.path'], 'greeting');
      assert.equal(span.attributes['graphql.selection.field.name'], 'hello');
      // The resolver ran with its own span current.
      assert.equal(seenSpanIds.hello, span.spanId);
    });

    test("a resolver's outgoing call is a child of its resolver span", async () => {
      const request = inRequest();
      await runIn(request.ctx, () => g.graphql({ schema, source: '{ remote }' }));
      await waitForSpans(recorded.spans, 6);
      const remote = resolverSpans().find((s) => s.name === 'Query.remote')!;
      const client = recorded.spans.find((s) => s.kind === SpanKind.CLIENT)!;
      assert.equal(client.parentSpanId, remote.spanId);
      assert.equal(seenSpanIds.remote, remote.spanId);
    });

    test('a resolver that throws or rejects fails its own span and the operation span', async () => {
      const request = inRequest();
      const result = await runIn(request.ctx, () => g.graphql({ schema, source: '{ fail failAsync }' }));
      assert.deepEqual(
        result.errors.map((e: Error) => e.message),
        ['no such thing', 'downstream refused'],
      );
      const fail = resolverSpans().find((s) => s.name === 'Query.fail')!;
      assert.equal(fail.status.code, SpanStatusCode.ERROR);
      assert.equal(fail.attributes['error.type'], 'TypeError');
      const failAsync = resolverSpans().find((s) => s.name === 'Query.failAsync')!;
      assert.equal(failAsync.status.code, SpanStatusCode.ERROR);
      assert.equal(failAsync.attributes['error.type'], 'ECONNREFUSED');
      assert.equal(exceptionEvents(failAsync)[0]?.['exception.message'], 'downstream refused');
      const operation = spansNamed(graphqlSpans(), 'query')[0]!;
      assert.deepEqual(
        exceptionEvents(operation).map((e) => e['exception.message']),
        ['no such thing', 'downstream refused'],
      );
    });

    test('introspection gets no resolver spans', async () => {
      const request = inRequest();
      const result = await runIn(request.ctx, () => g.graphql({ schema, source: '{ __typename __schema { queryType { name fields { name } } } }' }));
      assert.equal(result.data.__schema.queryType.name, 'Query');
      assert.deepEqual(resolverSpans(), []);
    });
  });
}
