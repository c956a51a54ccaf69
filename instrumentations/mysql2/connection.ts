// A CLIENT span per `query` and `execute` of a mysql2 connection. Both are patched on the class that
// defines them (lib/base/connection.js in recent 3.x, lib/connection.js before), which every other API
// ends up calling: Connection, PoolConnection, pool.query/execute (through getConnection, see pool.ts),
// PoolCluster and the promise wrappers (mysql2/promise calls the callback API underneath).
//
// The span ends on the driver's own completion: the callback (wrapped, then called in the app's
// context), else the command's 'error'/'end' events (streams, `query().on('result')`), whose listeners
// are also called in the app's context. The recorded text is the template as the app wrote it, never
// the text mysql2 formats client-side with the values inlined.

import { EventEmitter } from 'node:events';
import { DbClient, type DbCall } from '../db/db-call.js';
import { sqlQuery } from '../db/sql-query.js';
import { redactMysqlMessage } from '../db/error-message.js';
import { applyInContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { takeDispatchTime } from './pool-wait.js';
import { MYSQL_DEFAULT_PORT, mysqlStatusCode, systemOf, type Mysql2Connection } from './server.js';

type AnyFunction = (...args: any[]) => any;
const CALL = Symbol('otel-instrument.mysql2.call');
const EMIT = Symbol('otel-instrument.mysql2.emit');

interface TracedCommand {
  [CALL]: DbCall;
  [EMIT]: AnyFunction;
}

/** One DbClient per db.system.name: a MySQL and a MariaDB server may both be in use. */
class Clients {
  readonly #telemetry: Telemetry;
  readonly #bySystem = new Map<string, DbClient>();

  constructor(telemetry: Telemetry) {
    this.#telemetry = telemetry;
  }

  get(system: string): DbClient {
    let client = this.#bySystem.get(system);
    if (client === undefined) {
      client = new DbClient(this.#telemetry, { instrumentation: 'mysql2', system, defaultPort: MYSQL_DEFAULT_PORT, statusCodeOf: mysqlStatusCode, redactMessage: redactMysqlMessage });
      this.#bySystem.set(system, client);
    }
    return client;
  }
}

/** The prototype in `proto`'s chain that defines `name` itself. */
function ownerOf(proto: object | null, name: string): object | undefined {
  for (let owner = proto; owner !== null && owner !== Object.prototype; owner = Object.getPrototypeOf(owner) as object | null) {
    if (Object.prototype.hasOwnProperty.call(owner, name)) return owner;
  }
  return undefined;
}

/** Patches lib/connection.js's class (its exports). */
export function patchConnectionClass(exports: unknown, telemetry: Telemetry): unknown {
  const proto = typeof exports === 'function' ? (exports.prototype as object | undefined) : undefined;
  if (proto === undefined) return exports;
  const clients = new Clients(telemetry);
  const queryOwner = ownerOf(proto, 'query') as { query?: AnyFunction } | undefined;
  const executeOwner = ownerOf(proto, 'execute') as { execute?: AnyFunction } | undefined;
  if (queryOwner !== undefined) wrap(queryOwner, 'query', (original) => traced(original, clients, false));
  if (executeOwner !== undefined) wrap(executeOwner, 'execute', (original) => traced(original, clients, true));
  return exports;
}

function isCommand(value: unknown): value is { sql?: unknown; values?: unknown; onResult?: unknown } {
  return value instanceof EventEmitter;
}

/** Values were passed: the text is a template (`?`, `:name`) and is kept as written. */
function hasValues(values: unknown): boolean {
  if (values === undefined || values === null || typeof values === 'function') return false;
  return Array.isArray(values) ? values.length > 0 : true;
}

/**
 * The operation, or undefined when the arguments are not ones mysql2 accepts (it then throws or
 * fails as it would without us). Never throws.
 */
function start(clients: Clients, connection: Mysql2Connection, sql: unknown, values: unknown, isExecute: boolean): DbCall | undefined {
  let client: DbClient | undefined;
  try {
    let text: unknown;
    let params: unknown;
    if (typeof sql === 'string') {
      text = sql;
      params = values;
    } else if (sql !== null && typeof sql === 'object') {
      text = (sql as { sql?: unknown }).sql;
      params = !isExecute && isCommand(sql) ? sql.values : values !== undefined && typeof values !== 'function' ? values : (sql as { values?: unknown }).values;
    }
    if (typeof text !== 'string') return undefined;
    client = clients.get(systemOf(connection));
    if (!client.guard.enabled) return undefined;
    const query = sqlQuery(text, hasValues(params), 'mysql');
    const config = connection.config;
    const socketPath = config?.socketPath;
    const database = config?.database;
    const operation = {
      queryText: query.text,
      querySummary: query.summary,
      namespace: database === undefined || database === '' ? undefined : database,
      serverAddress: socketPath ?? config?.host ?? 'localhost',
      serverPort: socketPath === undefined ? (config?.port ?? MYSQL_DEFAULT_PORT) : undefined,
      parameters: Array.isArray(params) ? params : undefined,
    };
    // A pool's query: its span starts when the app called the pool, before the wait for a connection.
    return client.start(operation, undefined, takeDispatchTime());
  } catch (error) {
    client?.guard.fail(error);
    return undefined;
  }
}

function traced(original: AnyFunction, clients: Clients, isExecute: boolean): AnyFunction {
  return function (this: Mysql2Connection, sql: unknown, values: unknown, callback: unknown): unknown {
    const call = start(clients, this, sql, values, isExecute);
    if (call === undefined) return Reflect.apply(original, this, arguments);
    let command: unknown;
    let emitter = false;
    try {
      if (!isExecute && isCommand(sql)) {
        // pool.query hands its own command, callback inside.
        if (typeof sql.onResult === 'function') sql.onResult = call.wrapCallback(sql.onResult as AnyFunction);
        else emitter = true;
        command = Reflect.apply(original, this, arguments);
      } else if (typeof values === 'function') {
        command = arguments.length === 2 ? original.call(this, sql, call.wrapCallback(values as AnyFunction)) : replacing(original, this, arguments, 1, call.wrapCallback(values as AnyFunction));
      } else if (typeof callback === 'function') {
        command = arguments.length === 3 ? original.call(this, sql, values, call.wrapCallback(callback as AnyFunction)) : replacing(original, this, arguments, 2, call.wrapCallback(callback as AnyFunction));
      } else {
        emitter = true;
        command = Reflect.apply(original, this, arguments);
      }
    } catch (error) {
      call.end(error, true);
      throw error;
    }
    if (emitter) traceEvents(command, call);
    return command;
  };
}

function replacing(original: AnyFunction, self: unknown, args: IArguments, index: number, callback: AnyFunction): unknown {
  const copy = Array.prototype.slice.call(args);
  copy[index] = callback;
  return Reflect.apply(original, self, copy);
}

/** No callback: the command's 'error'/'end' end the span; its listeners run in the app's context. */
function traceEvents(command: unknown, call: DbCall): void {
  if (!(command instanceof EventEmitter)) {
    call.end();
    return;
  }
  const traced = command as unknown as TracedCommand;
  traced[CALL] = call;
  traced[EMIT] = command.emit;
  Object.defineProperty(command, 'emit', { value: tracedEmit, writable: true, configurable: true, enumerable: false });
}

function tracedEmit(this: TracedCommand, event: string | symbol): unknown {
  const call = this[CALL];
  if (event === 'error') call.end(arguments[1], true);
  else if (event === 'end') call.end();
  return applyInContext(call.parent, this[EMIT], this, arguments);
}
