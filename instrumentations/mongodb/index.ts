// mongodb, the Node.js driver 6 and 7 (and what rides on it: Mongoose, the driver's GridFS): a CLIENT
// span per command the driver sends for the app (`find`, `getMore`, `insert`, `aggregate`, ...).
//
// Every command an operation sends goes through Connection.prototype.command (lib/cmap/connection.js),
// with the database and collection and the command document as the server will get it; the handshake
// and heartbeats pass there too and are skipped by name (command.ts). The span starts in the caller's
// context: the driver is async/await from the app's call to the socket, so a command that waited for a
// pooled connection still starts in the request that issued it. The driver's command monitoring events
// would say the same, but only with monitorCommands on, which the app would then see, and which parses
// every reply in full; this reads the command as sent and the reply as the driver already holds it.
//
// The pool's connect() (lib/cmap/connect.js) is wrapped only to mark each connection with the host the
// app named (server.ts); its checkOut (lib/cmap/connection_pool.js) only when pool spans are asked for.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { endPoolSpan, PoolSpans } from '../db/pool-span.js';
import { DB_SYSTEM } from '../db/semconv.js';
import { DbClient, type DbCall } from '../db/db-call.js';
import { commandName, commandOperation, type MongoNamespace } from './command.js';
import { markCheckout, takeCheckout } from './checkout.js';
import { connectionServer, markConnection, MONGODB_SYSTEM, serverOf } from './server.js';
import { writeFailureOf } from './write-failure.js';

const VERSIONS = '>=6.0.0 <8';

type AnyFunction = (...args: any[]) => any;

function start(client: DbClient, connection: object, ns: unknown, command: unknown): DbCall | undefined {
  if (!client.guard.enabled) return undefined;
  try {
    const name = commandName(command);
    if (name === undefined) return undefined;
    const server = connectionServer(connection);
    const operation = {
      ...commandOperation(ns as MongoNamespace | undefined, command as Record<string, unknown>, name),
      serverAddress: server?.address,
      serverPort: server?.port,
    };
    // The first command after a checkout starts when the operation asked the pool for a connection.
    return client.start(operation, undefined, takeCheckout(connection));
  } catch (error) {
    client.guard.fail(error);
    return undefined;
  }
}

function ended(call: DbCall, reply: unknown): void {
  const failure = writeFailureOf(reply);
  if (failure === undefined) call.end();
  else call.end(failure, true);
}

/** lib/cmap/connection.js: its Connection class sends every command. */
function patchConnection(exports: unknown, telemetry: Telemetry): unknown {
  const Connection = (exports as { Connection?: { prototype?: { command?: AnyFunction } } } | null)?.Connection;
  const proto = Connection?.prototype;
  if (proto === undefined || typeof proto.command !== 'function') return exports;
  const client = new DbClient(telemetry, MONGODB_SYSTEM);
  wrap(proto, 'command', (original) =>
    function command(this: object, ns: unknown, cmd: unknown) {
      const call = start(client, this, ns, cmd);
      if (call === undefined) return Reflect.apply(original, this, arguments);
      const result = call.invoke(original, this, arguments);
      // The driver's own promise goes back to it untouched (it awaits every command); ours only listens.
      if (result instanceof Promise) {
        result.then(
          (reply: unknown) => {
            try {
              ended(call, reply);
            } catch (error) {
              client.guard.fail(error);
            }
          },
          (error: unknown) => call.end(error, true),
        );
      } else {
        call.end();
      }
      return result;
    },
  );
  return exports;
}

/**
 * lib/cmap/connection_pool.js: each connection checked out is marked with when the operation asked for
 * it, so its first command's span covers the wait (checkout.ts); with OTEL_NODE_DB_POOL_SPANS on, the
 * wait is also a `pool acquire` span.
 */
function patchConnectionPool(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { ConnectionPool?: { prototype?: { checkOut?: AnyFunction } } } | null)?.ConnectionPool?.prototype;
  if (proto === undefined || typeof proto.checkOut !== 'function') return exports;
  const poolSpans = new PoolSpans(telemetry);
  wrap(proto, 'checkOut', (original) =>
    function checkOut(this: { address?: unknown }) {
      const askedAt = performance.now();
      const span = poolSpans.enabled ? poolSpans.start(activeContext(), DB_SYSTEM.mongodb, typeof this.address === 'string' ? this.address : undefined) : undefined;
      const result: unknown = Reflect.apply(original, this, arguments);
      // The driver awaits its own promise; ours is attached first, so it runs first, and never rejects.
      if (result instanceof Promise) {
        result.then(
          (connection: unknown) => {
            markCheckout(connection, askedAt);
            endPoolSpan(span);
          },
          (error: unknown) => endPoolSpan(span, error),
        );
      } else {
        endPoolSpan(span);
      }
      return result;
    },
  );
  return exports;
}

/** lib/cmap/connect.js: the pool's connect(options) is given the HostAddress the app named. */
function patchConnect(exports: unknown): unknown {
  if (exports === null || typeof exports !== 'object') return exports;
  wrap(exports as { connect?: AnyFunction }, 'connect', (original) =>
    function connect(this: unknown, options: { hostAddress?: unknown } | undefined) {
      const result: unknown = Reflect.apply(original, this, arguments);
      const server = serverOf(options?.hostAddress as Parameters<typeof serverOf>[0]);
      // Marked before the pool's own then() runs: this one was attached first. Ours never rejects.
      if (server !== undefined && result instanceof Promise) result.then((connection: unknown) => markConnection(connection, server), () => {});
      return result;
    },
  );
  return exports;
}

export const mongodb: Instrumentation = {
  name: 'mongodb',
  targets: [
    { module: 'mongodb/lib/cmap/connection.js', versions: VERSIONS, patch: (exports, telemetry) => patchConnection(exports, telemetry) },
    { module: 'mongodb/lib/cmap/connect.js', versions: VERSIONS, patch: (exports) => patchConnect(exports) },
    { module: 'mongodb/lib/cmap/connection_pool.js', versions: VERSIONS, patch: (exports, telemetry) => patchConnectionPool(exports, telemetry) },
  ],
};
