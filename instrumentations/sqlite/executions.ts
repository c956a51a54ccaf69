// A CLIENT span per SQLite execution, for better-sqlite3 and node:sqlite alike. Both drivers are
// synchronous: a statement's `run`, `get` and `all`, and a database's `exec`, start the span, call the
// driver and end it before returning; `iterate` ends it when the iterator is exhausted, returned or
// throws. Preparing a statement executes nothing and makes no span.
//
// Attributes: db.system.name `sqlite`, db.query.text and db.query.summary. The text is the statement's
// own source (better-sqlite3 `source`, node:sqlite `sourceSQL`), kept as written when the execution
// passes bound parameters and sanitized (every literal `?`) when it passes none; `exec` takes no
// parameters, so its text is always sanitized. No db.namespace: the conventions define none for
// SQLite (no page of its own; the generic attribute is the database "fully qualified within the
// server address and port", and an embedded file has neither). No server.address either.
// A failure's db.response.status_code is the driver's code: better-sqlite3's SqliteError `code`
// ('SQLITE_CONSTRAINT_PRIMARYKEY'), node:sqlite's numeric extended result code `errcode` ('1555').

import { DbClient, type DbCall } from '../db/db-call.js';
import { DB_SYSTEM } from '../db/semconv.js';
import { DB_CAPTURE_PARAMETERS } from '../db/settings.js';
import { sqlQuery } from '../db/sql-query.js';
import { settingValue } from '../../src/config/setting-value.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';

type AnyFunction = (...args: any[]) => any;

/** The property a driver's statement holds its SQL text in. */
export type SourceKey = 'source' | 'sourceSQL';

/** better-sqlite3's SqliteError code, else node:sqlite's numeric extended result code. */
export function sqliteStatusCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' ? String(errcode) : undefined;
}

function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export class SqliteExecutions {
  readonly client: DbClient;
  readonly #captureParameters: boolean;
  /** Prototypes already patched (a statement class per driver, an iterator class per driver). */
  readonly #patched = new WeakSet<object>();
  /** Iterators in flight and their operation. */
  readonly #iterations = new WeakMap<object, DbCall>();

  constructor(telemetry: Telemetry) {
    this.client = new DbClient(telemetry, { instrumentation: 'sqlite', system: DB_SYSTEM.sqlite, statusCodeOf: sqliteStatusCode });
    this.#captureParameters = settingValue(telemetry.config, DB_CAPTURE_PARAMETERS);
  }

  /** Wraps run/get/all/iterate on a statement prototype, once. Never throws. */
  patchStatements(proto: unknown, sourceKey: SourceKey): void {
    if (proto === null || typeof proto !== 'object' || this.#patched.has(proto)) return;
    this.#patched.add(proto);
    try {
      const statements = proto as Record<string, unknown>;
      for (const name of ['run', 'get', 'all'] as const) wrap(statements, name, (original) => this.#traced(original, sourceKey));
      wrap(statements, 'iterate', (original) => this.#tracedIterate(original, sourceKey));
    } catch (error) {
      this.client.guard.fail(error);
    }
  }

  /** Wraps a database prototype's exec(sql). Never throws. */
  patchExec(proto: unknown): void {
    if (proto === null || typeof proto !== 'object') return;
    try {
      const executions = this;
      wrap(proto as Record<string, unknown>, 'exec', (original: AnyFunction) =>
        function (this: unknown, sql: unknown): unknown {
          const call = typeof sql === 'string' ? executions.#start(sql, undefined) : undefined;
          return call === undefined ? Reflect.apply(original, this, arguments) : ended(call, original, this, arguments);
        },
      );
    } catch (error) {
      this.client.guard.fail(error);
    }
  }

  /** The operation for `text`; `args` are the execution's bound parameters. Never throws. */
  #start(text: string, args: IArguments | undefined): DbCall | undefined {
    const client = this.client;
    if (!client.guard.enabled) return undefined;
    try {
      const parameterized = args !== undefined && args.length > 0;
      const query = sqlQuery(text, parameterized, 'sqlite');
      return client.start({
        queryText: query.text,
        querySummary: query.summary,
        parameters: parameterized && this.#captureParameters ? positional(args) : undefined,
      });
    } catch (error) {
      client.guard.fail(error);
      return undefined;
    }
  }

  /** The statement's operation, or undefined when `statement` is not one (the driver then throws as it would). */
  #startStatement(statement: unknown, sourceKey: SourceKey, args: IArguments): DbCall | undefined {
    let text: unknown;
    try {
      // A wrong receiver makes the driver's getter throw: the original call throws the same.
      text = (statement as Record<SourceKey, unknown>)[sourceKey];
    } catch {
      return undefined;
    }
    return typeof text === 'string' ? this.#start(text, args) : undefined;
  }

  #traced(original: AnyFunction, sourceKey: SourceKey): AnyFunction {
    const executions = this;
    return function (this: unknown): unknown {
      const call = executions.#startStatement(this, sourceKey, arguments);
      return call === undefined ? Reflect.apply(original, this, arguments) : ended(call, original, this, arguments);
    };
  }

  #tracedIterate(original: AnyFunction, sourceKey: SourceKey): AnyFunction {
    const executions = this;
    return function (this: unknown): unknown {
      const call = executions.#startStatement(this, sourceKey, arguments);
      if (call === undefined) return Reflect.apply(original, this, arguments);
      const iterator = call.invoke(original, this, arguments);
      executions.#follow(iterator, call);
      return iterator;
    };
  }

  /** The operation ends with the iteration: its iterator class's next/return are wrapped once. */
  #follow(iterator: unknown, call: DbCall): void {
    try {
      const proto = iterator === null || typeof iterator !== 'object' ? null : (Object.getPrototypeOf(iterator) as object | null);
      if (proto === null || typeof (iterator as { next?: unknown }).next !== 'function') {
        call.end();
        return;
      }
      if (!this.#patched.has(proto)) {
        this.#patched.add(proto);
        const iterations = this.#iterations;
        wrap(proto as Record<string, unknown>, 'next', (next: AnyFunction) =>
          function (this: object): unknown {
            const traced = iterations.get(this);
            if (traced === undefined) return Reflect.apply(next, this, arguments);
            let result: unknown;
            try {
              result = Reflect.apply(next, this, arguments);
            } catch (error) {
              iterations.delete(this);
              traced.end(error, true);
              throw error;
            }
            if (result !== null && typeof result === 'object' && (result as { done?: unknown }).done === true) {
              iterations.delete(this);
              traced.end();
            }
            return result;
          },
        );
        wrap(proto as Record<string, unknown>, 'return', (ret: AnyFunction) =>
          function (this: object): unknown {
            const traced = iterations.get(this);
            if (traced === undefined) return Reflect.apply(ret, this, arguments);
            iterations.delete(this);
            return ended(traced, ret, this, arguments);
          },
        );
      }
      this.#iterations.set(iterator as object, call);
    } catch (error) {
      call.end();
      this.client.guard.fail(error);
    }
  }
}

/** Calls the driver and ends the operation with its outcome; the app gets the same result or error. */
function ended(call: DbCall, original: AnyFunction, self: unknown, args: IArguments): unknown {
  const result = call.invoke(original, self, args);
  call.end();
  return result;
}

/** Positional values only (an object of named values has no index to record them under). */
function positional(args: IArguments): unknown[] | undefined {
  const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : Array.prototype.slice.call(args);
  return values.some(isPlainObject) ? undefined : values;
}
