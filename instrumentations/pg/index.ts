// node-postgres 8.x: a CLIENT span per query. Client#query covers every query a client runs;
// Pool#query starts the span when the app calls it, before the pool has a connection to give, so a
// query that waited for one still belongs to the request that issued it and its span covers the wait.
// The client query the pool then makes on the app's behalf starts no second span.
//
// The patches are on the classes' prototypes, which the CommonJS exports and the ESM wrappers
// (pg/esm/index.mjs, pg-pool/esm/index.mjs) share: one patch covers `require` and `import` alike.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { activeContext, bindToContext } from '../../src/context/als-context-manager.js';
import { PgQueries, rememberConnectionParameters } from './queries.js';

// pg 8 ships pg-pool 3.
const PG_VERSIONS = '>=8.0.0 <9';
const POOL_VERSIONS = '>=3.0.0 <4';
const CURSOR_VERSIONS = '>=2.0.0 <3';

type AnyFunction = (...args: any[]) => any;

let queries: PgQueries | undefined;

/** One PgQueries (and DbClient) for the instrumentation, whichever of its modules loads first. */
function queriesFor(telemetry: Telemetry): PgQueries {
  queries ??= new PgQueries(telemetry);
  return queries;
}

type Prototype = Record<string, unknown>;

function classOf(exports: unknown, name: string | undefined): { prototype: Prototype } | undefined {
  const holder = exports as Record<string, unknown> | null | undefined;
  const candidate = name === undefined ? (typeof exports === 'function' ? exports : holder?.default) : holder?.[name];
  return typeof candidate === 'function' && typeof (candidate as { prototype?: unknown }).prototype === 'object'
    ? (candidate as { prototype: Prototype })
    : undefined;
}

function patchPg(exports: unknown, telemetry: Telemetry): unknown {
  const pgQueries = queriesFor(telemetry);
  try {
    const client = classOf(exports, 'Client');
    if (client !== undefined) wrap(client.prototype, 'query', (original) => pgQueries.wrapClientQuery(original));
  } catch (error) {
    pgQueries.client.guard.fail(error);
  }
  return exports;
}

function patchPool(exports: unknown, telemetry: Telemetry): unknown {
  const pgQueries = queriesFor(telemetry);
  try {
    const pool = classOf(exports, undefined);
    if (pool !== undefined) {
      wrap(pool.prototype, 'query', (original) => pgQueries.wrapPoolQuery(original));
      wrap(pool.prototype, 'connect', (original) => pgQueries.wrapPoolConnect(original));
    }
  } catch (error) {
    pgQueries.client.guard.fail(error);
  }
  return exports;
}

/**
 * pg-cursor calls a read's or close's callback from the connection's socket events, in whatever context
 * the connection was made: bound to the caller's, as without pooling the app would expect. (The promise
 * forms need nothing: an await resumes in its own context.)
 */
function patchCursor(exports: unknown): unknown {
  const proto = typeof exports === 'function' ? (exports.prototype as Record<string, AnyFunction> | undefined) : undefined;
  if (proto === undefined) return exports;
  wrap(proto, 'read', (original) => function read(this: unknown, rows: unknown, callback: unknown) {
    if (typeof callback !== 'function') return Reflect.apply(original, this, arguments);
    return original.call(this, rows, bindToContext(activeContext(), callback as AnyFunction));
  });
  wrap(proto, 'close', (original) => function close(this: unknown, callback: unknown) {
    if (typeof callback !== 'function') return Reflect.apply(original, this, arguments);
    return original.call(this, bindToContext(activeContext(), callback as AnyFunction));
  });
  return exports;
}

export const pg: Instrumentation = {
  name: 'pg',
  targets: [
    { module: 'pg', versions: PG_VERSIONS, patch: patchPg },
    // pg's own parsing of connection options (host, port, database from options, URL and PG* variables):
    // a pool's query names its server before the pool has made any client.
    {
      module: 'pg/lib/connection-parameters.js',
      versions: PG_VERSIONS,
      patch: (exports) => {
        rememberConnectionParameters(exports);
        return exports;
      },
    },
    { module: 'pg-pool', versions: POOL_VERSIONS, patch: patchPool },
    { module: 'pg-cursor', versions: CURSOR_VERSIONS, patch: patchCursor },
  ],
};
