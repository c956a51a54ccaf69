// graphql 15, 16 and 17 under the real launcher, served by graphql-http over node:http
// (test/fixtures/graphql/app.js and esm-app.mjs), as a real OTLP receiver gets them: the operation
// span under the http SERVER span with its name and attributes, the resolver's outgoing call under
// it, no literal in graphql.document, parse, validation and execution errors on their spans,
// answers byte for byte as without the launcher; resolver spans by setting; nothing when turned off
// by name or for a graphql outside 15-17.
//
// graphql 17 is the `graphql` package. graphql 15 and 16 are installed as `graphql-15` and
// `graphql-16`, which the module hook does not know: each test copies one (its .js files) to a
// temporary node_modules/graphql, as an app would have it, and the fixture serves that one.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GrpcReceiver, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, startCli, startProcess, waitFor, type Running } from '../support/run-cli.js';

const APP = join(FIXTURES, 'graphql', 'app.js');
const ESM_APP = join(FIXTURES, 'graphql', 'esm-app.mjs');
const INTERNAL = 1;
const SERVER = 2;
const CLIENT = 3;
const SCOPE = 'otel-instrument/graphql';

interface Answer {
  readonly status: number;
  readonly body: string;
}

const REQUESTS = {
  named: 'query GetUser { user(id: "secret-42") { name upper } remote }',
  mutation: 'mutation { rename(id: "7", name: "hunter2") { name } }',
  failing: 'query Failing { fail }',
  syntax: '{ user(id: ',
  invalid: '{ nope }',
} as const;
type RequestName = keyof typeof REQUESTS;
const ALL = Object.keys(REQUESTS) as RequestName[];
/** Literals of the requests above: none may reach the receiver. */
const LITERALS = ['secret-42', 'hunter2'];

const copies: string[] = [];
after(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** graphql-<major> copied to <tmp>/node_modules/graphql (its CommonJS files), claiming `version` if given. */
function graphqlCopy(major: 15 | 16, version?: string): string {
  const source = dirname(require.resolve(`graphql-${major}/package.json`));
  const root = mkdtempSync(join(tmpdir(), `graphql-${major}-`));
  copies.push(root);
  const target = join(root, 'node_modules', 'graphql');
  cpSync(source, target, { recursive: true, filter: (path) => !/\.(mjs|ts|map|md)$/.test(path) });
  if (version !== undefined) {
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(target, 'package.json'), JSON.stringify({ ...manifest, version }));
  }
  return target;
}

function post(port: number, query: string): Promise<Answer> {
  const http = require('node:http') as typeof import('node:http');
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function ask(app: Running, names: readonly RequestName[]): Promise<Map<RequestName, Answer>> {
  const port = Number((await app.waitForLine(/listening (\d+)/, 30_000))[1]);
  const answers = new Map<RequestName, Answer>();
  for (const name of names) answers.set(name, await post(port, REQUESTS[name]));
  return answers;
}

function stop(app: Running | undefined): void {
  if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}

interface Run {
  readonly spans: FlatSpan[];
  readonly answers: Map<RequestName, Answer>;
  readonly stderr: string;
}

/** The fixture under the launcher: `names` asked one after the other, then stopped; the spans the receiver got. */
async function runInstrumented(app: string, names: readonly RequestName[], env: NodeJS.ProcessEnv): Promise<Run> {
  const receiver = await GrpcReceiver.start();
  let running: Running | undefined;
  try {
    running = startCli(['node', app], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', ...env });
    const answers = await ask(running, names);
    running.child.kill('SIGTERM');
    const exit = await running.exited();
    // A server span per request, and one for the downstream call `remote` makes.
    const servers = names.length + (names.includes('named') ? 1 : 0);
    const spans = await waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.kind === SERVER).length >= servers && all;
    }, `${servers} server spans`);
    return { spans, answers, stderr: exit.stderr };
  } finally {
    stop(running);
    await receiver.close();
  }
}

async function runPlain(app: string, names: readonly RequestName[], env: NodeJS.ProcessEnv): Promise<Map<RequestName, Answer>> {
  let running: Running | undefined;
  try {
    running = startProcess(process.execPath, [app], env);
    const answers = await ask(running, names);
    running.child.kill('SIGTERM');
    await running.exited();
    return answers;
  } finally {
    stop(running);
  }
}

function graphqlSpans(spans: readonly FlatSpan[]): FlatSpan[] {
  return spans.filter((s) => s.scope.name === SCOPE);
}

function parentOf(spans: readonly FlatSpan[], span: FlatSpan): FlatSpan {
  const parent = spans.find((s) => s.spanId === span.parentSpanId && s.traceId === span.traceId);
  assert.ok(parent, `no parent for ${span.name}`);
  return parent;
}

/** The one span of `name` whose request was the POST /graphql it hangs under. */
function underRequest(spans: readonly FlatSpan[], name: string, match: (span: FlatSpan) => boolean = () => true): FlatSpan {
  const found = graphqlSpans(spans).filter((s) => s.name === name && match(s));
  assert.equal(found.length, 1, `one ${name}; got ${found.length} of ${graphqlSpans(spans).map((s) => s.name).join(', ')}`);
  const span = found[0]!;
  const server = parentOf(spans, span);
  assert.deepEqual([server.kind, server.name, server.attributes['url.path']], [SERVER, 'POST', '/graphql']);
  return span;
}

function exceptionOf(span: FlatSpan): Record<string, unknown> | undefined {
  return span.events.find((e) => e.name === 'exception')?.attributes;
}

const VERSIONS = [
  { label: 'graphql 17', major: 17, dir: (): string | undefined => undefined },
  { label: 'graphql 16', major: 16, dir: (): string | undefined => graphqlCopy(16) },
  { label: 'graphql 15', major: 15, dir: (): string | undefined => graphqlCopy(15) },
] as const;

for (const version of VERSIONS) {
  describe(`${version.label} behind graphql-http, graphql.document on (OTEL_NODE_GRAPHQL_CAPTURE_DOCUMENT=true)`, () => {
    let run: Run;
    let plain: Map<RequestName, Answer>;
    before(async () => {
      const dir = version.dir();
      const env = dir === undefined ? {} : { GRAPHQL_DIR: dir };
      [run, plain] = await Promise.all([
        runInstrumented(APP, ALL, { ...env, OTEL_NODE_GRAPHQL_CAPTURE_DOCUMENT: 'true' }),
        runPlain(APP, ALL, env),
      ]);
    });

    test('every answer is byte for byte the one the app gives without the launcher', () => {
      assert.deepEqual(run.answers, plain);
      assert.equal(run.answers.get('named')?.body, '{"data":{"user":{"name":"ada","upper":"ADA"},"remote":"from downstream"}}');
    });

    test('the operation span is an INTERNAL child of the http server span, named by type, with the document stripped of literals', () => {
      const named = underRequest(run.spans, 'query', (s) => s.attributes['graphql.operation.name'] === 'GetUser');
      assert.equal(named.kind, INTERNAL);
      assert.deepEqual(named.attributes, {
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'GetUser',
        'graphql.document': 'query GetUser { user(id: ?) { name upper } remote }',
      });
      assert.equal(named.status.code, 0);
      const mutation = underRequest(run.spans, 'mutation');
      assert.deepEqual(mutation.attributes, { 'graphql.operation.type': 'mutation', 'graphql.document': 'mutation { rename(id: ?, name: ?) { name } }' });
      // Parsing and validation ran as siblings, under the same request.
      const server = parentOf(run.spans, named);
      const siblings = graphqlSpans(run.spans).filter((s) => s.parentSpanId === server.spanId).map((s) => s.name);
      assert.deepEqual(siblings.sort(), ['GraphQL Document Parsing', 'GraphQL Document Validation', 'query']);
    });

    test("the resolver's outgoing http call is a child of the operation span, and the downstream server span of that call", () => {
      const named = underRequest(run.spans, 'query', (s) => s.attributes['graphql.operation.name'] === 'GetUser');
      const client = run.spans.find((s) => s.kind === CLIENT && s.parentSpanId === named.spanId);
      assert.ok(client, 'a client span under the operation span');
      assert.equal(client.attributes['url.full'], `http://127.0.0.1:${String(client.attributes['server.port'])}/downstream`);
      const downstream = run.spans.find((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
      assert.equal(downstream?.attributes['url.path'], '/downstream');
    });

    test("none of these requests' literals reaches the receiver, in any span's attributes, events or status", () => {
      const text = JSON.stringify(run.spans.map((s) => [s.name, s.attributes, s.events, s.status]));
      for (const literal of LITERALS) assert.ok(!text.includes(literal), literal);
    });

    test('a resolver error is recorded on the operation span: status, error.type and the exception', () => {
      const failing = underRequest(run.spans, 'query', (s) => s.attributes['graphql.operation.name'] === 'Failing');
      assert.equal(failing.status.code, 2);
      assert.equal(failing.status.message, 'the answer is out of range');
      assert.equal(failing.attributes['error.type'], 'RangeError');
      assert.equal(exceptionOf(failing)?.['exception.type'], 'RangeError');
      assert.match(String(exceptionOf(failing)?.['exception.stacktrace']), /schema\.cjs/);
    });

    test('a syntax error fails the parse span, and no operation span starts', () => {
      const parse = underRequest(run.spans, 'GraphQL Document Parsing', (s) => s.status.code === 2);
      assert.equal(parse.attributes['error.type'], 'GraphQLError');
      assert.match(String(exceptionOf(parse)?.['exception.message']), /^Syntax Error/);
      const server = parentOf(run.spans, parse);
      assert.deepEqual(
        graphqlSpans(run.spans)
          .filter((s) => s.parentSpanId === server.spanId)
          .map((s) => s.name),
        ['GraphQL Document Parsing'],
      );
    });

    test('a validation error fails the validation span', () => {
      const validation = underRequest(run.spans, 'GraphQL Document Validation', (s) => s.status.code === 2);
      assert.equal(validation.attributes['error.type'], 'GraphQLError');
      assert.match(String(exceptionOf(validation)?.['exception.message']), /Cannot query field "nope" on type "Query"/);
    });
  });
}

describe('settings through the launcher: resolver spans on, the document left out by default', () => {
  let run: Run;
  before(async () => {
    run = await runInstrumented(APP, ['named'], { OTEL_NODE_GRAPHQL_RESOLVER_SPANS: 'nontrivial', OTEL_NODE_GRAPHQL_OPERATION_NAME_IN_SPAN_NAME: 'true' });
  });

  test('the operation span is named with the operation name and carries no graphql.document', () => {
    const named = underRequest(run.spans, 'query GetUser');
    assert.deepEqual(named.attributes, { 'graphql.operation.type': 'query', 'graphql.operation.name': 'GetUser' });
  });

  test("the fields with a resolver get spans under the operation span; the resolver's call is under its span", () => {
    const named = underRequest(run.spans, 'query GetUser');
    const resolvers = graphqlSpans(run.spans).filter((s) => s.parentSpanId === named.spanId);
    assert.deepEqual(resolvers.map((s) => s.name).sort(), ['Query.remote', 'Query.user', 'User.upper']);
    const remote = resolvers.find((s) => s.name === 'Query.remote')!;
    assert.equal(remote.attributes['graphql.selection.path'], 'remote');
    assert.ok(run.spans.some((s) => s.kind === CLIENT && s.parentSpanId === remote.spanId));
  });
});

describe('an ES module app', () => {
  for (const version of [VERSIONS[0], VERSIONS[1]]) {
    test(`${version.label}: one operation span per request, under the http server span`, async () => {
      const dir = version.dir();
      const run = await runInstrumented(ESM_APP, ['named', 'failing'], dir === undefined ? {} : { GRAPHQL_DIR: dir });
      assert.equal(run.answers.get('named')?.body, '{"data":{"user":{"name":"ada","upper":"ADA"},"remote":"from downstream"}}');
      const named = underRequest(run.spans, 'query', (s) => s.attributes['graphql.operation.name'] === 'GetUser');
      assert.ok(run.spans.some((s) => s.kind === CLIENT && s.parentSpanId === named.spanId));
      assert.equal(underRequest(run.spans, 'query', (s) => s.attributes['graphql.operation.name'] === 'Failing').attributes['error.type'], 'RangeError');
      // Each step once: nothing patched or subscribed twice.
      assert.equal(graphqlSpans(run.spans).length, 6, graphqlSpans(run.spans).map((s) => s.name).join(', '));
    });
  }
});

describe('left alone', () => {
  test('OTEL_NODE_DISABLED_INSTRUMENTATIONS=graphql: http spans only, the same answers', async () => {
    const [run, plain] = await Promise.all([
      runInstrumented(APP, ['named', 'failing'], { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'graphql' }),
      runPlain(APP, ['named', 'failing'], {}),
    ]);
    assert.deepEqual(run.answers, plain);
    assert.deepEqual(graphqlSpans(run.spans), []);
    assert.ok(run.spans.some((s) => s.kind === SERVER && s.attributes['url.path'] === '/graphql'));
    assert.ok(run.spans.some((s) => s.kind === CLIENT));
  });

  test('a graphql outside 15-17 (a graphql 16 that says it is 14.99.0) is not patched, and the debug log says why', async () => {
    const dir = graphqlCopy(16, '14.99.0');
    const [run, plain] = await Promise.all([
      runInstrumented(APP, ['named', 'failing'], { GRAPHQL_DIR: dir, OTEL_LOG_LEVEL: 'debug' }),
      runPlain(APP, ['named', 'failing'], { GRAPHQL_DIR: dir }),
    ]);
    assert.deepEqual(run.answers, plain);
    assert.match(run.answers.get('named')?.body ?? '', /"name":"ada"/);
    assert.deepEqual(graphqlSpans(run.spans), []);
    assert.match(run.stderr, /graphql\/execution\/execute\.js@14\.99\.0 is outside graphql's supported range >=15\.0\.0 <18; left unpatched/);
  });
});
