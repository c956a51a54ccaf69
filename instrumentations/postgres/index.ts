// postgres.js 3.x (4.x: query-channel.ts): a CLIENT span per query. Every query the app makes
// (tagged template, sql.unsafe, sql.file, inside sql.begin or sql.reserve) is a Query, a Promise
// subclass that runs when first awaited: Query#handle (called by then/catch/finally/execute/forEach)
// is where it starts, before it waits for a connection. The span starts there and ends when the
// driver calls the query's own resolve or reject, so the app keeps the very Query object, its
// methods (.values(), .raw(), .cursor(), .describe(), .execute()) and its errors.
//
// The caller's context is noted when the Query is made (see the resolve setter below), so a query
// made in a request and awaited elsewhere still belongs to that request.
//
// resolve and reject are instance properties postgres.js assigns (and a cursor reassigns); an accessor
// on Query.prototype takes those assignments, and while a query is traced hands the driver one shared
// function that ends the span first. The driver always calls them as methods (query.resolve(x)).
//
// Server and database: the package's factory is wrapped to note each instance's parsed options,
// keyed by the instance's cancel function, which every one of its queries carries.
//
// The CommonJS (cjs/src) and ESM (src) copies are separate classes: each is patched once.

import type { Context } from '@opentelemetry/api';
import { activeContext } from '../../src/context/als-context-manager.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { DbClient, type DbCall, type DbOperation } from '../db/db-call.js';
import { redactPostgresMessage } from '../db/error-message.js';
import { POSTGRESQL_DEFAULT_PORT, sqlStateOf } from '../db/postgresql.js';
import { ATTR_DB_QUERY_SUMMARY, ATTR_DB_QUERY_TEXT, DB_SYSTEM } from '../db/semconv.js';
import { sqlQuery } from '../db/sql-query.js';
import { subscribeQueryChannel } from './query-channel.js';

const VERSIONS = '>=3.0.0 <4';
/** postgres.js 4 publishes its queries on a TracingChannel: query-channel.ts. */
const CHANNEL_VERSIONS = '>=4.0.0 <5';

type AnyFunction = (...args: any[]) => any;

/** The parts of a postgres.js Query we read. */
interface QueryLike {
  readonly tagged?: boolean;
  readonly strings?: unknown;
  readonly args?: unknown;
  readonly canceller?: unknown;
  readonly executed?: boolean;
  /** Set by the driver when it builds the query for the wire. */
  readonly string?: unknown;
}

interface Target {
  readonly namespace: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
}

const CALL = Symbol('otel-instrument.postgres.call');
const RESOLVE = Symbol('otel-instrument.postgres.resolve');
const REJECT = Symbol('otel-instrument.postgres.reject');
/** Set when the text was not known at the start (sql(object) helpers): taken from the built query at the end. */
const LATE_TEXT = Symbol('otel-instrument.postgres.late-text');
/** The caller's context when it made the query: noted by the constructor's first assignment of resolve. */
const PARENT = Symbol('otel-instrument.postgres.parent');

type Traced = QueryLike & {
  [CALL]?: DbCall | undefined;
  [RESOLVE]?: AnyFunction;
  [REJECT]?: AnyFunction;
  [LATE_TEXT]?: boolean;
  [PARENT]?: Context;
};

let client: DbClient | undefined;
/** Each postgres() instance's cancel function -> where it connects. */
const targets = new WeakMap<object, Target>();

function clientFor(telemetry: Telemetry): DbClient {
  client ??= new DbClient(telemetry, {
    instrumentation: 'postgres',
    system: DB_SYSTEM.postgresql,
    defaultPort: POSTGRESQL_DEFAULT_PORT,
    statusCodeOf: sqlStateOf,
    redactMessage: redactPostgresMessage,
  });
  return client;
}

function isQuery(value: unknown): value is QueryLike {
  return value !== null && typeof value === 'object' && Array.isArray((value as QueryLike).strings) && Array.isArray((value as QueryLike).args) && 'tagged' in value;
}

interface Rendered {
  text: string;
  placeholders: number;
  /** A sql.unsafe fragment inside: raw text, so the whole is sanitized. */
  unsafe: boolean;
}

/**
 * A tagged template's text as postgres.js will send it: each value becomes `$n`, a nested query
 * fragment its own text, an identifier (sql('name')) its escaped name. Undefined for the sql(object)
 * helpers, whose text the driver builds from the values themselves.
 */
function render(query: QueryLike, state: Rendered): boolean {
  const strings = query.strings as unknown[];
  const args = query.args as unknown[];
  if (!query.tagged) state.unsafe = true;
  if (typeof strings[0] !== 'string') return false;
  state.text += strings[0];
  for (let i = 1; i < strings.length; i++) {
    const value = args[i - 1];
    if (isQuery(value)) {
      if (!render(value, state)) return false;
    } else if (Array.isArray(value) && isQuery(value[0])) {
      for (const part of value) {
        state.text += ' ';
        if (!isQuery(part) || !render(part, state)) return false;
      }
    } else if (value !== null && typeof value === 'object' && value.constructor?.name === 'Builder') {
      return false;
    } else if (value !== null && typeof value === 'object' && value.constructor?.name === 'Identifier') {
      state.text += String((value as { value?: unknown }).value);
    } else {
      state.text += `$${++state.placeholders}`;
    }
    const next = strings[i];
    if (typeof next !== 'string') return false;
    state.text += next;
  }
  return true;
}

function start(db: DbClient, query: Traced): void {
  let text: string | undefined;
  let parameterized = true;
  let parameters: unknown[] | undefined;
  if (query.tagged) {
    const state: Rendered = { text: '', placeholders: 0, unsafe: false };
    if (render(query, state)) {
      text = state.text;
      parameterized = !state.unsafe;
      parameters = state.placeholders === (query.args as unknown[]).length ? (query.args as unknown[]) : undefined;
    }
  } else {
    // sql.unsafe(text, params), or sql.file before its text is read.
    const strings = query.strings as unknown[];
    const args = query.args as unknown[];
    if (typeof strings[0] === 'string') text = strings[0];
    parameterized = args.length > 0;
    parameters = args.length > 0 ? args : undefined;
  }
  const sql = text === undefined ? undefined : sqlQuery(text, parameterized);
  const target = targets.get(query.canceller as object);
  const operation: DbOperation = {
    namespace: target?.namespace,
    serverAddress: target?.serverAddress,
    serverPort: target?.serverPort,
    queryText: sql?.text,
    querySummary: sql?.summary,
    parameters,
  };
  const call = db.start(operation, query[PARENT] ?? activeContext());
  if (call === undefined) return;
  query[CALL] = call;
  if (text === undefined) query[LATE_TEXT] = true;
}

/** The query is over: its span ends before the app's continuation runs. */
function finish(query: Traced, error: unknown, failed: boolean): void {
  const call = query[CALL];
  if (call === undefined) return;
  query[CALL] = undefined;
  if (query[LATE_TEXT] === true && call.span !== undefined && typeof query.string === 'string') {
    try {
      // The driver's own text: the helpers' values are placeholders in it.
      const sql = sqlQuery(query.string, true);
      call.span.setAttribute(ATTR_DB_QUERY_TEXT, sql.text);
      if (sql.summary !== undefined) {
        call.span.setAttribute(ATTR_DB_QUERY_SUMMARY, sql.summary);
        call.span.updateName(sql.summary);
      }
    } catch (internal) {
      client?.guard.fail(internal);
    }
  }
  call.end(error, failed);
}

function tracedResolve(this: Traced, value: unknown): unknown {
  finish(this, undefined, false);
  return (this[RESOLVE] as AnyFunction)(value);
}

function tracedReject(this: Traced, error: unknown): unknown {
  finish(this, error, true);
  return (this[REJECT] as AnyFunction)(error);
}

function patchQuery(exports: unknown, telemetry: Telemetry): unknown {
  const db = clientFor(telemetry);
  try {
    const Query = (exports as { Query?: unknown } | null)?.Query;
    if (typeof Query !== 'function') return exports;
    const prototype = (Query as { prototype: Record<string | symbol, unknown> }).prototype;
    const originalHandle = prototype.handle;
    if (typeof originalHandle !== 'function' || Object.prototype.hasOwnProperty.call(prototype, RESOLVE)) return exports;
    Object.defineProperty(prototype, RESOLVE, { value: undefined, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(prototype, 'resolve', {
      configurable: true,
      enumerable: false,
      get(this: Traced) {
        return this[CALL] === undefined ? this[RESOLVE] : tracedResolve;
      },
      set(this: Traced, fn: AnyFunction) {
        // The constructor's assignment runs in the context of the sql`...` or sql.unsafe() call: the
        // query's parent, even when the app awaits it elsewhere or it waits for a connection.
        if (this[RESOLVE] === undefined) this[PARENT] = activeContext();
        this[RESOLVE] = fn;
      },
    });
    Object.defineProperty(prototype, 'reject', {
      configurable: true,
      enumerable: false,
      get(this: Traced) {
        return this[CALL] === undefined ? this[REJECT] : tracedReject;
      },
      set(this: Traced, fn: AnyFunction) {
        this[REJECT] = fn;
      },
    });
    const replacement = function handle(this: Traced): unknown {
      // First run only; the driver's own queries (type and state lookups) have no canceller.
      if (!this.executed && this.canceller && this[CALL] === undefined) {
        try {
          start(db, this);
        } catch (error) {
          db.guard.fail(error);
        }
      }
      return Reflect.apply(originalHandle as AnyFunction, this, arguments);
    };
    Object.defineProperty(prototype, 'handle', { value: replacement, writable: true, configurable: true, enumerable: false });
  } catch (error) {
    db.guard.fail(error);
  }
  return exports;
}

interface ParsedOptions {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly path?: unknown;
  readonly database?: unknown;
}

function targetOf(options: ParsedOptions | undefined): Target {
  const hosts = Array.isArray(options?.host) ? (options.host as unknown[]) : [];
  const ports = Array.isArray(options?.port) ? (options.port as unknown[]) : [];
  // Several hosts: the one a connection uses is not known here; a Unix socket has no address to give.
  const single = hosts.length === 1 && !options?.path;
  const port = single ? Number(ports[0]) : NaN;
  return {
    namespace: typeof options?.database === 'string' && options.database !== '' ? options.database : undefined,
    serverAddress: single && typeof hosts[0] === 'string' && hosts[0] !== '' ? hosts[0] : undefined,
    serverPort: Number.isInteger(port) && port > 0 ? port : undefined,
  };
}

/** Notes each new instance's server; the app gets the instance as made. */
function wrapFactory(original: AnyFunction, db: DbClient): AnyFunction {
  const postgres = function (this: unknown): unknown {
    const sql = Reflect.apply(original, this, arguments) as { options?: ParsedOptions; unsafe?: AnyFunction } | undefined;
    try {
      if (typeof sql === 'function' || (sql !== null && typeof sql === 'object')) {
        // An unsent query carries the instance's cancel function; it is never awaited, so never sent.
        const probe = typeof sql.unsafe === 'function' ? (sql.unsafe('') as QueryLike) : undefined;
        const canceller = probe?.canceller;
        if (typeof canceller === 'function') targets.set(canceller, targetOf(sql.options));
      }
    } catch (error) {
      db.guard.fail(error);
    }
    return sql;
  };
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'prototype' || key === 'arguments' || key === 'caller') continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor !== undefined) Object.defineProperty(postgres, key, descriptor);
  }
  return postgres;
}

function patchFactory(exports: unknown, telemetry: Telemetry): unknown {
  const db = clientFor(telemetry);
  try {
    if (typeof exports === 'function') return wrapFactory(exports as AnyFunction, db);
    const namespace = exports as { default?: unknown } | null;
    if (namespace !== null && typeof namespace === 'object' && typeof namespace.default === 'function') {
      namespace.default = wrapFactory(namespace.default as AnyFunction, db);
    }
  } catch (error) {
    db.guard.fail(error);
  }
  return exports;
}

function subscribe(exports: unknown, telemetry: Telemetry): unknown {
  subscribeQueryChannel(clientFor(telemetry));
  return exports;
}

export const postgres: Instrumentation = {
  name: 'postgres',
  targets: [
    { module: 'postgres', versions: VERSIONS, patch: patchFactory },
    { module: 'postgres', versions: CHANNEL_VERSIONS, patch: subscribe },
    { module: 'postgres/cjs/src/query.js', versions: VERSIONS, patch: patchQuery },
    { module: 'postgres/src/query.js', versions: VERSIONS, patch: patchQuery },
  ],
};
