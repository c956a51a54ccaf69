// SQLite: better-sqlite3 (9 to 12) and the builtin node:sqlite (Node 22.13+ and 24, where it loads
// without a flag). executions.ts makes the spans; this file finds each driver's classes.
//
// better-sqlite3's Statement is a class of its native addon, which the package loads only when the
// first database opens: its prototype is patched when `prepare` first returns one. Statements the
// package prepares itself before that (a transaction's BEGIN/COMMIT) share the prototype, so from
// then on their executions are spans too, as they are real statements run on the app's behalf.
// node:sqlite exports both classes: they are patched when the module loads (require, import or
// process.getBuiltinModule; the hooks see it as `node:sqlite`, the only name it has).

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { SqliteExecutions } from './executions.js';

type AnyFunction = (...args: any[]) => any;

const BETTER_SQLITE3_VERSIONS = '>=9.0.0 <13';

let executions: SqliteExecutions | undefined;

function executionsFor(telemetry: Telemetry): SqliteExecutions {
  executions ??= new SqliteExecutions(telemetry);
  return executions;
}

function prototypeOf(candidate: unknown): object | undefined {
  if (typeof candidate !== 'function') return undefined;
  const proto = (candidate as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' ? proto : undefined;
}

function patchBetterSqlite3(exports: unknown, telemetry: Telemetry): unknown {
  const sqlite = executionsFor(telemetry);
  try {
    const database = prototypeOf(typeof exports === 'function' ? exports : (exports as { default?: unknown } | null)?.default);
    if (database === undefined) return exports;
    sqlite.patchExec(database);
    wrap(database as Record<string, unknown>, 'prepare', (original: AnyFunction) =>
      function (this: unknown): unknown {
        const statement: unknown = Reflect.apply(original, this, arguments);
        if (statement !== null && typeof statement === 'object') sqlite.patchStatements(Object.getPrototypeOf(statement), 'source');
        return statement;
      },
    );
  } catch (error) {
    sqlite.client.guard.fail(error);
  }
  return exports;
}

function patchNodeSqlite(exports: unknown, telemetry: Telemetry): unknown {
  const sqlite = executionsFor(telemetry);
  const module = exports as { DatabaseSync?: unknown; StatementSync?: unknown } | null;
  sqlite.patchExec(prototypeOf(module?.DatabaseSync));
  sqlite.patchStatements(prototypeOf(module?.StatementSync), 'sourceSQL');
  return exports;
}

export const sqlite: Instrumentation = {
  name: 'sqlite',
  targets: [
    { module: 'better-sqlite3', versions: BETTER_SQLITE3_VERSIONS, patch: (exports, telemetry) => patchBetterSqlite3(exports, telemetry) },
    { module: 'node:sqlite', versions: '*', patch: (exports, telemetry) => patchNodeSqlite(exports, telemetry) },
  ],
};
