// graphql 15, 16 and 17 in this process with the default settings: an operation span per execution
// (named by type, its kind by where it runs, current while resolvers run), spans for parsing and
// validation with their errors, execution errors on the operation span, no resolver spans, no
// document, and every result, return kind and thrown error as graphql gives them.

import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import { PACKAGE_VERSION } from '../../../src/package-info.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import { buildSchema, downstreamServer, exceptionEvents, inRequest, loadGraphqlVersions, runIn, seenSpanIds, spansNamed } from './graphql-versions.js';

const recorded = instrumentInProcess(['graphql', 'http']);
const versions = loadGraphqlVersions(recorded);
const downstream = downstreamServer();

function graphqlSpans(): ReadableSpan[] {
  return recorded.spans.filter((s) => s.scope.name === 'otel-instrument/graphql');
}

function onlyOperation(): ReadableSpan {
  const operations = graphqlSpans().filter((s) => !s.name.startsWith('GraphQL Document'));
  assert.equal(operations.length, 1, operations.map((s) => s.name).join(', '));
  return operations[0]!;
}

for (const { label, major, graphql: g } of versions) {
  describe(label, () => {
    const schema = buildSchema(g, () => downstream.url);

    beforeEach(() => recorded.clear());

    test('an execution that awaits a resolver returns a promise of the same result; its span is an INTERNAL child of the request span, named by type', async () => {
      const request = inRequest();
      const document = g.parse('query FriendsOfAda { user(id: "1") { name friends { name } } }');
      recorded.clear();
      const returned = runIn(request.ctx, () => g.execute({ schema, document }));
      assert.ok(returned instanceof Promise, 'graphql returns a promise when a resolver does');
      assert.deepEqual(JSON.parse(JSON.stringify(await returned)), { data: { user: { name: 'ada', friends: [{ name: 'bob' }] } } });
      const span = onlyOperation();
      assert.equal(span.name, 'query');
      assert.equal(span.kind, SpanKind.INTERNAL);
      assert.equal(span.parentSpanId, request.span.spanId);
      assert.equal(span.traceId, request.span.traceId);
      assert.deepEqual(span.attributes, { 'graphql.operation.type': 'query', 'graphql.operation.name': 'FriendsOfAda' });
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.deepEqual([span.scope.name, span.scope.version], ['otel-instrument/graphql', PACKAGE_VERSION]);
    });

    test('executeSync returns the result itself, and its span has ended when it returns', () => {
      const request = inRequest();
      const document = g.parse('{ hello(name: "ada") users { name } }');
      recorded.clear();
      const result = runIn(request.ctx, () => g.executeSync({ schema, document }));
      assert.ok(!(result instanceof Promise));
      assert.equal(result.data.hello, 'hello ada');
      assert.deepEqual(
        result.data.users.map((u: { name: string }) => u.name),
        ['ada', 'cy'],
      );
      const span = onlyOperation();
      assert.equal(span.name, 'query');
      // An anonymous operation has no name to record.
      assert.deepEqual(span.attributes, { 'graphql.operation.type': 'query' });
    });

    test('a mutation is named mutation; the operation name stays out of the span name and no document is recorded by default', async () => {
      const request = inRequest();
      const document = g.parse('mutation Rename($id: ID!) { rename(id: $id, name: "secret name") { name } }');
      recorded.clear();
      const result = await runIn(request.ctx, () => g.execute({ schema, document, variableValues: { id: '7' } }));
      assert.equal(result.data.rename.name, 'secret name');
      const span = onlyOperation();
      assert.equal(span.name, 'mutation');
      assert.deepEqual(span.attributes, { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Rename' });
    });

    test('of several operations, the one named by operationName is the one recorded', async () => {
      const request = inRequest();
      const document = g.parse('query A { hello } mutation B { rename(id: "1", name: "x") { id } }');
      recorded.clear();
      await runIn(request.ctx, () => g.execute({ schema, document, operationName: 'B' }));
      assert.deepEqual(onlyOperation().attributes, { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'B' });
    });

    test('an operation name the document does not have: named GraphQL Operation, without that name, and failed as graphql answers', async () => {
      const request = inRequest();
      const document = g.parse('query A { hello }');
      recorded.clear();
      const result = await runIn(request.ctx, () => g.execute({ schema, document, operationName: 'Nope' }));
      assert.match(result.errors[0].message, /Unknown operation named "Nope"/);
      const span = onlyOperation();
      assert.equal(span.name, 'GraphQL Operation');
      assert.equal(span.attributes['graphql.operation.name'], undefined);
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.attributes['error.type'], 'GraphQLError');
    });

    test('with no span around it, the operation span is the server span of its own trace (SERVER, as the conventions say)', async () => {
      const document = g.parse('{ hello }');
      recorded.clear();
      await g.execute({ schema, document });
      const span = onlyOperation();
      assert.equal(span.kind, SpanKind.SERVER);
      assert.equal(span.parentSpanId, undefined);
    });

    test('a resolver runs with the operation span current: its outgoing http call is a child of the operation span', async () => {
      const request = inRequest();
      const document = g.parse('query Remote { remote }');
      recorded.clear();
      const result = await runIn(request.ctx, () => g.execute({ schema, document }));
      assert.deepEqual(JSON.parse(JSON.stringify(result)), { data: { remote: 'from downstream' } });
      // The downstream server's span ends on 'close', after the client has its answer.
      await waitForSpans(recorded.spans, 3);
      const operation = spansNamed(recorded.spans, 'query')[0]!;
      assert.equal(seenSpanIds.remote, operation.spanId);
      const client = recorded.spans.find((s) => s.kind === SpanKind.CLIENT);
      assert.ok(client, recorded.spans.map((s) => s.name).join(', '));
      assert.equal(client.parentSpanId, operation.spanId);
      assert.equal(client.traceId, request.span.traceId);
    });

    test('a resolver that throws: recorded on the operation span with its own type; the result reports it as before', async () => {
      const request = inRequest();
      const document = g.parse('{ hello fail }');
      recorded.clear();
      const result = runIn(request.ctx, () => g.execute({ schema, document }));
      assert.equal(result.data.hello, 'hello world');
      assert.equal(result.data.fail, null);
      assert.equal(result.errors.length, 1);
      assert.equal(result.errors[0].message, 'no such thing');
      assert.deepEqual(result.errors[0].path, ['fail']);
      assert.ok(result.errors[0].originalError instanceof TypeError);
      const span = onlyOperation();
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.status.message, 'no such thing');
      assert.equal(span.attributes['error.type'], 'TypeError');
      const [event] = exceptionEvents(span);
      assert.equal(event?.['exception.type'], 'TypeError');
      assert.equal(event?.['exception.message'], 'no such thing');
      assert.match(String(event?.['exception.stacktrace']), /no such thing/);
    });

    test('a resolver that rejects with a coded error: error.type is the code, on a promise of the same result', async () => {
      const request = inRequest();
      const document = g.parse('{ failAsync }');
      recorded.clear();
      const result = await runIn(request.ctx, () => g.execute({ schema, document }));
      assert.deepEqual(JSON.parse(JSON.stringify(result.data)), { failAsync: null });
      assert.equal(result.errors[0].message, 'downstream refused');
      const span = onlyOperation();
      assert.equal(span.attributes['error.type'], 'ECONNREFUSED');
      assert.equal(exceptionEvents(span)[0]?.['exception.message'], 'downstream refused');
    });

    test('a syntax error is recorded on the parse span, and parse throws it as before', () => {
      const request = inRequest();
      recorded.clear();
      let thrown: unknown;
      try {
        runIn(request.ctx, () => g.parse('{ hello(name: '));
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof g.GraphQLError);
      assert.match((thrown as Error).message, /^Syntax Error/);
      const [span, ...others] = graphqlSpans();
      assert.deepEqual(others, []);
      assert.equal(span?.name, 'GraphQL Document Parsing');
      assert.equal(span.kind, SpanKind.INTERNAL);
      assert.equal(span.parentSpanId, request.span.spanId);
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.status.message, (thrown as Error).message);
      assert.equal(span.attributes['error.type'], 'GraphQLError');
      assert.equal(exceptionEvents(span)[0]?.['exception.message'], (thrown as Error).message);
    });

    test('validation errors are recorded on the validation span, and validate returns them as before', () => {
      const request = inRequest();
      const document = g.parse('{ nope hello(wrong: 1) }');
      recorded.clear();
      const errors = runIn(request.ctx, () => g.validate(schema, document));
      assert.equal(errors.length, 2);
      assert.match(errors[0].message, /Cannot query field "nope" on type "Query"/);
      const [span, ...others] = graphqlSpans();
      assert.deepEqual(others, []);
      assert.equal(span?.name, 'GraphQL Document Validation');
      assert.equal(span.parentSpanId, request.span.spanId);
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.status.message, errors[0].message);
      assert.equal(span.attributes['error.type'], 'GraphQLError');
      assert.deepEqual(
        exceptionEvents(span).map((e) => e['exception.message']),
        errors.map((e: Error) => e.message),
      );
    });

    test('values of the document quoted in graphql\'s own parse and validation messages are ? on the spans; the app\'s errors keep them', () => {
      const request = inRequest();
      recorded.clear();
      let thrown: any;
      try {
        runIn(request.ctx, () => g.parse('{ hello(name: "secret-parse" "secret-token") }'));
      } catch (error) {
        thrown = error;
      }
      const errors = runIn(request.ctx, () => g.validate(schema, g.parse('{ user(id: 42.5) { name } hello(name: 7) }')));
      assert.match(thrown.message, /secret-token/);
      assert.match(errors.map((e: Error) => e.message).join('\n'), /42\.5/);
      const recordedText = JSON.stringify(graphqlSpans().map((span) => [span.events, span.status]));
      assert.doesNotMatch(recordedText, /secret-|42\.5/);
      const [parse] = graphqlSpans();
      assert.equal(exceptionEvents(parse!)[0]?.['exception.message'], thrown.message.replace('"secret-token"', '"?"'));
    });

    test('graphql() parses, validates and executes, each in its own span under the request, none failed', async () => {
      const request = inRequest();
      recorded.clear();
      const result = await runIn(request.ctx, () => g.graphql({ schema, source: 'query Q { user(id: "3") { name upper } }' }));
      assert.deepEqual(JSON.parse(JSON.stringify(result)), { data: { user: { name: 'cy', upper: 'CY' } } });
      const spans = graphqlSpans();
      assert.deepEqual(
        spans.map((s) => s.name),
        ['GraphQL Document Parsing', 'GraphQL Document Validation', 'query'],
      );
      for (const span of spans) {
        assert.equal(span.parentSpanId, request.span.spanId, span.name);
        assert.equal(span.status.code, SpanStatusCode.UNSET, span.name);
      }
    });

    test('resolver spans are off by default: a query over lists makes no span per field', async () => {
      const request = inRequest();
      recorded.clear();
      await runIn(request.ctx, () => g.graphql({ schema, source: '{ users { name upper friends { name upper } } }' }));
      assert.deepEqual(
        graphqlSpans().map((s) => s.name),
        ['GraphQL Document Parsing', 'GraphQL Document Validation', 'query'],
      );
    });

    test('parsing and validating outside any trace (a schema or gql tag at startup) makes no span', () => {
      recorded.clear();
      const sdl = g.parse('type Query { a: String }');
      assert.equal(sdl.kind, 'Document');
      assert.deepEqual(g.validate(schema, g.parse('{ hello }')), []);
      assert.deepEqual(graphqlSpans(), []);
    });

    test('a subscription gets a span of type subscription, and its events arrive as before', async () => {
      const request = inRequest();
      const document = g.parse('subscription Ticks { ticks }');
      recorded.clear();
      const stream = await runIn(request.ctx, () => g.subscribe({ schema, document }));
      const values: unknown[] = [];
      for await (const event of stream) values.push(event.data.ticks);
      assert.deepEqual(values, [1, 2]);
      const subscriptions = spansNamed(graphqlSpans(), 'subscription');
      assert.ok(subscriptions.length >= 1);
      assert.deepEqual(subscriptions[0]!.attributes, { 'graphql.operation.type': 'subscription', 'graphql.operation.name': 'Ticks' });
      assert.equal(subscriptions[0]!.parentSpanId, request.span.spanId);
      // graphql 15 and 16 run each event through execute: a span per event too.
      if (major < 17) assert.equal(subscriptions.length, 3);
    });
  });
}
