// Test support for the graphql tests: graphql 15, 16 and 17 in this process, each patched as the
// bootstrap patches it, and the same schema built with each.
//
// graphql 17 is the devDependency `graphql`: its first require reaches the module hook by name and
// subscribes to its diagnostics channels. graphql 15 and 16 are installed as `graphql-15` and
// `graphql-16`, names the hook does not know: their files are handed to the hooks under graphql's own
// names, as the hook does for an app's `graphql`.

import { after, before } from 'node:test';
import { dirname, join } from 'node:path';
import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { trace } from '../../../src/otel-api/trace.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { recordingTracerProvider, type InProcess } from '../../support/in-process-instrumentation.js';

/** The parts of the graphql module the tests use (the same in 15, 16 and 17). */
export type Graphql = any;

export interface GraphqlVersion {
  readonly label: string;
  readonly major: number;
  readonly graphql: Graphql;
}

const PATCHED_FILES: Record<number, readonly string[]> = {
  15: ['language/parser.js', 'validation/validate.js', 'execution/execute.js', 'subscription/subscribe.js'],
  16: ['language/parser.js', 'validation/validate.js', 'execution/execute.js', 'execution/subscribe.js'],
};

/** graphql 15, 16 and 17, patched through `recorded`'s hooks. Call after instrumentInProcess. */
export function loadGraphqlVersions(recorded: InProcess): GraphqlVersion[] {
  const versions: GraphqlVersion[] = [];
  for (const major of [15, 16]) {
    const module = `graphql-${major}`;
    const basedir = dirname(require.resolve(`${module}/package.json`));
    for (const file of PATCHED_FILES[major]!) recorded.hooks.onLoad(require(join(basedir, file)), `graphql/${file}`, basedir);
    versions.push({ label: `graphql ${major}`, major, graphql: require(module) });
  }
  versions.push({ label: 'graphql 17', major: 17, graphql: require('graphql') });
  return versions;
}

/** A request span, as the http instrumentation would make for the request carrying an operation. */
export function inRequest(): { ctx: Context; span: ReadableSpan & { end(): void } } {
  const span = recordingTracerProvider(() => {}).getTracer('test').startSpan('POST /graphql', { kind: SpanKind.SERVER });
  return { ctx: trace.setSpan(ROOT_CONTEXT, span), span: span as unknown as ReadableSpan & { end(): void } };
}

export function runIn<T>(ctx: Context, fn: () => T): T {
  return runWithContext(ctx, fn);
}

/** What each resolver saw as the current span: to check that it runs inside its operation's (or its own) span. */
export const seenSpanIds: Record<string, string | undefined> = {};

function noteCurrentSpan(field: string): void {
  seenSpanIds[field] = trace.getSpan(activeContext())?.spanContext().spanId;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly friends: readonly User[];
}

const ADA: User = { id: '1', name: 'ada', friends: [{ id: '2', name: 'bob', friends: [] }] };
const USERS: readonly User[] = [ADA, { id: '3', name: 'cy', friends: [{ id: '4', name: 'di', friends: [] }] }];

/**
 * The same schema in each version:
 *   type Query { hello(name: String): String, user(id: ID!): User, users: [User], fail: String,
 *                failAsync: String, remote: String, status(of: Status): String }
 *   type User { id: ID, name: String (no resolver), upper: String, friends: [User] }
 *   type Mutation { rename(id: ID!, name: String!): User }
 *   type Subscription { ticks: Int }
 * `remote` makes an http GET to `remoteUrl()` and answers its body.
 */
export function buildSchema(g: Graphql, remoteUrl: () => string): unknown {
  const http = require('node:http') as typeof import('node:http');
  const Status = new g.GraphQLEnumType({ name: 'Status', values: { ACTIVE: {}, GONE: {} } });
  const User: unknown = new g.GraphQLObjectType({
    name: 'User',
    fields: () => ({
      id: { type: g.GraphQLID },
      name: { type: g.GraphQLString },
      upper: { type: g.GraphQLString, resolve: (user: User) => user.name.toUpperCase() },
      friends: { type: new g.GraphQLList(User), resolve: async (user: User) => user.friends },
    }),
  });
  const Query = new g.GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: {
        type: g.GraphQLString,
        args: { name: { type: g.GraphQLString } },
        resolve: (_root: unknown, args: { name?: string }) => {
          noteCurrentSpan('hello');
          return `hello ${args.name ?? 'world'}`;
        },
      },
      user: { type: User, args: { id: { type: new g.GraphQLNonNull(g.GraphQLID) } }, resolve: (_root: unknown, args: { id: string }) => USERS.find((u) => u.id === args.id) },
      users: { type: new g.GraphQLList(User), resolve: () => USERS },
      fail: {
        type: g.GraphQLString,
        resolve: () => {
          throw new TypeError('no such thing');
        },
      },
      failAsync: {
        type: g.GraphQLString,
        resolve: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          throw Object.assign(new Error('downstream refused'), { code: 'ECONNREFUSED' });
        },
      },
      remote: {
        type: g.GraphQLString,
        resolve: () => {
          noteCurrentSpan('remote');
          return new Promise<string>((resolve, reject) => {
            http
              .get(remoteUrl(), (res) => {
                let body = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => (body += chunk));
                res.on('end', () => resolve(body));
              })
              .on('error', reject);
          });
        },
      },
      status: { type: g.GraphQLString, args: { of: { type: Status } }, resolve: (_root: unknown, args: { of?: string }) => String(args.of) },
    },
  });
  const Mutation = new g.GraphQLObjectType({
    name: 'Mutation',
    fields: {
      rename: {
        type: User,
        args: { id: { type: new g.GraphQLNonNull(g.GraphQLID) }, name: { type: new g.GraphQLNonNull(g.GraphQLString) } },
        resolve: (_root: unknown, args: { id: string; name: string }) => ({ id: args.id, name: args.name, friends: [] }),
      },
    },
  });
  const Subscription = new g.GraphQLObjectType({
    name: 'Subscription',
    fields: {
      ticks: {
        type: g.GraphQLInt,
        subscribe: async function* ticks() {
          yield { ticks: 1 };
          yield { ticks: 2 };
        },
      },
    },
  });
  return new g.GraphQLSchema({ query: Query, mutation: Mutation, subscription: Subscription });
}

/** Spans of one kind of work, in the order they ended. */
export function spansNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((s) => s.name === name);
}

export function exceptionEvents(span: ReadableSpan): Array<Record<string, unknown>> {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes as Record<string, unknown>);
}

/**
 * A local http server the schema's remote resolver calls (buildSchema's remoteUrl), started before a
 * file's tests and stopped after them. node:http is required here, at start, so that the test file's
 * own instrumentation (installed when it loads) has patched it.
 */
export function downstreamServer(): { readonly url: string } {
  const state = { url: '' };
  let server: import('node:http').Server | undefined;
  before(async () => {
    const http = require('node:http') as typeof import('node:http');
    const started = http.createServer((_req, res) => res.end('from downstream'));
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(started.address() as import('node:net').AddressInfo).port}/data`;
  });
  after(() => {
    server?.closeAllConnections();
    server?.close();
  });
  return state;
}
