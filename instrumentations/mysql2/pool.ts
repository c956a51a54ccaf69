// Context through mysql2's pool: a caller that waits for a connection is called back later by
// whichever query released one, in that query's context. getConnection's callback is bound to its
// caller's context, so pool.query/execute (which call getConnection), pool.getConnection, the promise
// pool and PoolCluster all issue their query in the context of the request that asked for it: its span
// is that request's child even after waiting in the queue. With OTEL_NODE_DB_POOL_SPANS on, the wait
// itself is a `pool acquire` span (db/pool-span.ts). The span of a pool.query/execute starts when the
// app called it (pool-wait.ts), so it counts the wait, as the conventions' span duration asks.

import { activeContext, bindToContext } from '../../src/context/als-context-manager.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { endingPoolSpan, poolName, PoolSpans } from '../db/pool-span.js';
import { dispatchingAt, poolCall, takePoolCallTime } from './pool-wait.js';
import { MYSQL_DEFAULT_PORT, systemOf } from './server.js';

type AnyFunction = (...args: any[]) => any;
interface Mysql2Pool {
  readonly config?: { readonly connectionConfig?: { host?: string; port?: number; socketPath?: string; database?: string } };
}

/** The pool's name: its connections' server and database. */
function nameOf(pool: Mysql2Pool): string | undefined {
  const config = pool.config?.connectionConfig;
  if (config === undefined) return undefined;
  return config.socketPath !== undefined ? poolName(config.socketPath, undefined, config.database) : poolName(config.host ?? 'localhost', config.port ?? MYSQL_DEFAULT_PORT, config.database);
}

/** The handed-over connection knows its server: MySQL or MariaDB. */
function connectionSystem(connection: unknown): string {
  return systemOf(connection as Parameters<typeof systemOf>[0]);
}

/** The prototype in the class's chain that defines `name` itself. */
function ownerOf(exports: unknown, name: string): Record<string, AnyFunction> | undefined {
  let owner = typeof exports === 'function' ? (exports.prototype as object | null) : null;
  while (owner !== null && owner !== Object.prototype && !Object.prototype.hasOwnProperty.call(owner, name)) owner = Object.getPrototypeOf(owner) as object | null;
  return owner === null || owner === Object.prototype ? undefined : (owner as Record<string, AnyFunction>);
}

/** Patches lib/pool.js's class (its exports): getConnection, query and execute, where they are defined. */
export function patchPoolClass(exports: unknown, telemetry: Telemetry): unknown {
  const owner = ownerOf(exports, 'getConnection');
  if (owner === undefined) return exports;
  const poolSpans = new PoolSpans(telemetry);
  wrap(owner as { getConnection: AnyFunction }, 'getConnection', (original) => {
    return function (this: Mysql2Pool, callback: unknown): unknown {
      if (typeof callback !== 'function' || arguments.length !== 1) return Reflect.apply(original, this, arguments);
      const context = activeContext();
      const calledAt = takePoolCallTime();
      const span = poolSpans.enabled ? poolSpans.start(context, systemOf({ config: this.config?.connectionConfig }), nameOf(this)) : undefined;
      return original.call(this, bindToContext(context, dispatchingAt(calledAt, endingPoolSpan(span, callback as AnyFunction, connectionSystem))));
    };
  });
  for (const name of ['query', 'execute'] as const) {
    const callOwner = ownerOf(exports, name);
    if (callOwner !== undefined) wrap(callOwner, name, (original) => function (this: unknown) {
      return poolCall(original, this, arguments);
    });
  }
  return exports;
}
