// The query wrappers for node-postgres: Client#query, Pool#query and Pool#connect.
//
// A pool's query is traced where the app calls it. pg-pool then waits for a connection and calls
// client.query itself, from its connect callback: that callback runs in the app's context and marks
// the dispatch, so the client's query is not traced a second time. A connection handed over by a
// release runs its waiter's callback in the releasing request's context without us; the waiter's
// context is restored here, for pool.query and for the app's own pool.connect(callback).

import type { Context, Span } from '@opentelemetry/api';
import { activeContext, applyInContext, bindToContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { DbClient, type DbCall, type DbOperation } from '../db/db-call.js';
import { redactPostgresMessage } from '../db/error-message.js';
import { endingPoolSpan, endPoolSpan, poolName, PoolSpans } from '../db/pool-span.js';
import { POSTGRESQL_DEFAULT_PORT, sqlStateOf } from '../db/postgresql.js';
import { DB_SYSTEM } from '../db/semconv.js';
import { sqlQuery } from '../db/sql-query.js';
import { isThenable } from '../../src/hook/call-outcome.js';

type AnyFunction = (...args: any[]) => any;

/** Where a client or pool connects: pg's ConnectionParameters, or a pool's options. */
interface ConnectionTarget {
  readonly database?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
}

interface PgClientLike {
  readonly connectionParameters?: ConnectionTarget;
}

interface QueryConfig {
  readonly text?: unknown;
  readonly values?: unknown;
  callback?: unknown;
  readonly submit?: unknown;
  readonly cursor?: unknown;
}

type ConnectionParametersClass = new (config: unknown) => ConnectionTarget;
let ConnectionParameters: ConnectionParametersClass | undefined;

/** pg/lib/connection-parameters.js's export, kept to name a pool's server as its clients will. */
export function rememberConnectionParameters(exports: unknown): void {
  if (typeof exports === 'function') ConnectionParameters = exports as ConnectionParametersClass;
}

/** The object pg reports completion to: pg-query-stream hands its cursor's bound methods to the client. */
function completionTarget(submittable: QueryConfig): object {
  const cursor = submittable.cursor;
  if (Object.prototype.hasOwnProperty.call(submittable, 'handleReadyForQuery') && cursor !== null && typeof cursor === 'object') return cursor;
  return submittable;
}

const CALL = Symbol('otel-instrument.pg.call');
type Tagged = { [CALL]?: DbCall | undefined };

/** Set by Pool#query for the Pool#connect it makes at once; taken there. */
let pendingPoolCall: DbCall | undefined;
/** True while pg-pool's connect callback for a traced pool query runs: its client.query is the pool's. */
let poolDispatch = false;

export class PgQueries {
  readonly client: DbClient;
  readonly poolSpans: PoolSpans;
  readonly #poolTargets = new WeakMap<object, ConnectionTarget>();
  readonly #patchedPrototypes = new WeakSet<object>();

  constructor(telemetry: Telemetry) {
    this.client = new DbClient(telemetry, {
      instrumentation: 'pg',
      system: DB_SYSTEM.postgresql,
      defaultPort: POSTGRESQL_DEFAULT_PORT,
      statusCodeOf: sqlStateOf,
      redactMessage: redactPostgresMessage,
    });
    this.poolSpans = new PoolSpans(telemetry);
  }

  /** The operation for one query, or undefined when our own code failed (the app's query goes on untraced). */
  start(target: ConnectionTarget | undefined, config: unknown, values: unknown): DbCall | undefined {
    try {
      const text = typeof config === 'string' ? config : (config as QueryConfig).text;
      const parameters = Array.isArray(values) ? values : undefined;
      const query = typeof text === 'string' ? sqlQuery(text, parameters !== undefined && parameters.length > 0) : undefined;
      const port = target?.port;
      const operation: DbOperation = {
        namespace: stringOrUndefined(target?.database),
        serverAddress: stringOrUndefined(target?.host),
        serverPort: typeof port === 'number' && Number.isInteger(port) ? port : typeof port === 'string' && port !== '' ? Number(port) : undefined,
        queryText: query?.text,
        querySummary: query?.summary,
        parameters,
      };
      return this.client.start(operation);
    } catch (error) {
      this.client.guard.fail(error);
      return undefined;
    }
  }

  wrapClientQuery(original: AnyFunction): AnyFunction {
    const queries = this;
    return function query(this: PgClientLike, config: unknown, values: unknown, callback: unknown): unknown {
      // pg-pool's own query on the app's behalf: the pool's span covers it.
      if (poolDispatch) {
        poolDispatch = false;
        return Reflect.apply(original, this, arguments);
      }
      // Wrong arguments: pg throws or fails the query as it would without us.
      if (config === null || typeof config !== 'object' && typeof config !== 'string') return Reflect.apply(original, this, arguments);
      const object = typeof config === 'object' ? (config as QueryConfig) : undefined;
      if (object !== undefined && typeof object.submit === 'function') return queries.#submit(original, this, arguments, object);

      // The callback pg will call: the last argument, else `values` when it is a function, else config.callback.
      const userCallback = callback ? callback : typeof values === 'function' ? values : object?.callback;
      if (userCallback && typeof userCallback !== 'function') return Reflect.apply(original, this, arguments);
      const call = queries.start(this.connectionParameters, config, Array.isArray(values) ? values : object?.values);
      if (call === undefined) return Reflect.apply(original, this, arguments);
      if (!userCallback) {
        const result = call.invoke(original, this, arguments);
        return isThenable(result) ? call.settle(result) : result;
      }
      const wrapped = call.wrapCallback(userCallback as AnyFunction);
      try {
        return typeof values === 'function' && !callback ? original.call(this, config, wrapped) : original.call(this, config, values, wrapped);
      } catch (error) {
        call.end(error, true);
        throw error;
      } finally {
        // pg before 8.17 wrote the callback into the app's config object: leave the app's own there.
        if (object !== undefined && object.callback === wrapped) object.callback = userCallback;
      }
    };
  }

  /** Cursor, QueryStream or a Query object: ended when pg reports its completion to it. */
  #submit(original: AnyFunction, client: PgClientLike, args: IArguments, submittable: QueryConfig): unknown {
    let target: object | undefined;
    try {
      target = completionTarget(submittable);
      this.#patchCompletion(Object.getPrototypeOf(target) as object | null);
    } catch (error) {
      this.client.guard.fail(error);
    }
    const cursor = target !== submittable ? (target as QueryConfig) : undefined;
    const call = target === undefined ? undefined : this.start(client.connectionParameters, cursor ?? submittable, cursor?.values ?? submittable.values);
    if (call !== undefined) (target as Tagged)[CALL] = call;
    try {
      return Reflect.apply(original, client, args);
    } catch (error) {
      if (call !== undefined) {
        (target as Tagged)[CALL] = undefined;
        call.end(error, true);
      }
      throw error;
    }
  }

  /** handleReadyForQuery / handleError of a submittable's class, once: they end the operation tagged on the instance. */
  #patchCompletion(prototype: object | null): void {
    if (prototype === null || prototype === Object.prototype || this.#patchedPrototypes.has(prototype)) return;
    this.#patchedPrototypes.add(prototype);
    const owner = prototype as Record<string, AnyFunction>;
    for (const name of ['handleReadyForQuery', 'handleError'] as const) {
      const original = owner[name];
      if (typeof original !== 'function') continue;
      const failed = name === 'handleError';
      const replacement = function (this: Tagged, error?: unknown): unknown {
        const call = this[CALL];
        if (call !== undefined) {
          this[CALL] = undefined;
          call.end(failed ? error : undefined, failed);
        }
        return Reflect.apply(original, this, arguments);
      };
      Object.defineProperty(replacement, 'name', { value: original.name, configurable: true });
      Object.defineProperty(owner, name, { value: replacement, writable: true, configurable: true, enumerable: false });
    }
  }

  wrapPoolQuery(original: AnyFunction): AnyFunction {
    const queries = this;
    return function query(this: object, text: unknown, values: unknown, callback: unknown): unknown {
      if (text === null || typeof text !== 'object' && typeof text !== 'string') return Reflect.apply(original, this, arguments);
      const userCallback = typeof values === 'function' ? values : callback;
      if (userCallback && typeof userCallback !== 'function') return Reflect.apply(original, this, arguments);
      const object = typeof text === 'object' ? (text as QueryConfig) : undefined;
      const call = queries.start(queries.#poolTarget(this), text, Array.isArray(values) ? values : object?.values);
      if (call === undefined) return Reflect.apply(original, this, arguments);
      pendingPoolCall = call;
      try {
        if (!userCallback) return call.settle(Reflect.apply(original, this, arguments) as Promise<unknown>);
        const wrapped = call.wrapCallback(userCallback as AnyFunction);
        return typeof values === 'function' ? original.call(this, text, wrapped) : original.call(this, text, values, wrapped);
      } catch (error) {
        call.end(error, true);
        throw error;
      } finally {
        pendingPoolCall = undefined;
      }
    };
  }

  wrapPoolConnect(original: AnyFunction): AnyFunction {
    const queries = this;
    return function connect(this: object, callback: unknown): unknown {
      const call = pendingPoolCall;
      pendingPoolCall = undefined;
      // The wait is part of a pool query's span, or of the app's own trace for its pool.connect().
      const span = queries.poolSpans.enabled ? queries.poolSpans.start(call?.context ?? activeContext(), DB_SYSTEM.postgresql, queries.#poolName(this)) : undefined;
      if (typeof callback !== 'function') {
        const result: unknown = Reflect.apply(original, this, arguments);
        return span === undefined || !isThenable(result) ? result : settledPoolWait(span, result);
      }
      if (call !== undefined) return original.call(this, dispatchInContext(call.parent, endingPoolSpan(span, callback as AnyFunction)));
      // The app's own pool.connect(callback): its callback runs in its context, not the releasing request's.
      return original.call(this, bindToContext(activeContext(), endingPoolSpan(span, callback as AnyFunction)));
    };
  }

  #poolName(pool: object): string | undefined {
    const target = this.#poolTarget(pool);
    return target === undefined ? undefined : poolName(target.host ?? 'localhost', target.port ?? POSTGRESQL_DEFAULT_PORT, target.database);
  }

  /** A pool's server and database, as its clients will see them: parsed once per pool. */
  #poolTarget(pool: object): ConnectionTarget | undefined {
    let target = this.#poolTargets.get(pool);
    if (target === undefined) {
      const options = (pool as { options?: unknown }).options;
      if (options === null || typeof options !== 'object') return undefined;
      const parsed = ConnectionParameters === undefined ? (options as ConnectionTarget) : new ConnectionParameters(options);
      target = { database: parsed.database, host: parsed.host, port: parsed.port };
      this.#poolTargets.set(pool, target);
    }
    return target;
  }
}

/** The app's promise of a connection, ending the wait's span when it settles; a rejection still reaches the app unhandled. */
function settledPoolWait(span: Span, promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (client) => {
      endPoolSpan(span);
      return client;
    },
    (error: unknown) => {
      endPoolSpan(span, error);
      throw error;
    },
  );
}

function dispatchInContext(context: Context, callback: AnyFunction): AnyFunction {
  return function (this: unknown, error: unknown): unknown {
    // On a failed connect pg-pool calls the app's callback at once, and makes no query.
    poolDispatch = !error;
    try {
      return applyInContext(context, callback, this, arguments);
    } finally {
      poolDispatch = false;
    }
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
