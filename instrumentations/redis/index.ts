// node-redis 4, 5 and 6 (the `redis` package; the client lives in `@redis/client`: 1.x for redis 4,
// 5.x and 6.x for redis 5 and 6): one CLIENT span per command, one per MULTI or pipeline batch.
//
// @redis/client 5 and 6: every command, typed (`client.get`), scripted or raw (`client.sendCommand`),
// passes through RedisClient.prototype.sendCommand with its arguments as sent; the batches go to the
// queue from _executeMulti/_executePipeline without it. The handshake (HELLO, AUTH, SELECT, CLIENT
// SETINFO) goes to the queue directly and never reaches sendCommand.
// @redis/client 1 (redis 4): typed commands reach the private #sendCommand, so the single point every
// command passes is the queue's addCommand; the handshake marks its commands `asap` and the batches give
// theirs a chainId (or, for a pipeline, are sent inside multiExecutor): those are skipped there, the
// batch's span comes from multiExecutor. The client (its address and index) is known to addCommand only
// through the public sendCommand, which sets it for its synchronous part: the typed commands call an
// executor bound when the module loaded, so their spans carry no server.address nor db.namespace.
//
// The span starts when the app makes the call, in its context, so a command in the offline queue while
// the client (re)connects belongs to the request that issued it. connect() runs in a context of its own
// (redis-command.ts): its ping timer and reconnects make no span under the request that connected.
// db.namespace is the database index the client was configured with (`database` or the URL's path);
// a later client.select() is not followed (node-redis keeps the current index private).
// Not covered: node-redis 4's legacyMode and isolated commands (executeIsolated's pool).

import { activeContext } from '../../src/context/als-context-manager.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { DbClient, type DbCall, type DbOperation } from '../db/db-call.js';
import { settleFor, type CallOutcome } from '../../src/hook/call-outcome.js';
import {
  inConnectionSetup,
  isConnectionSetup,
  redisBatchName,
  redisBatchText,
  redisCommandName,
  redisQueryText,
  redisSystem,
} from '../db/redis-command.js';

interface ClientOptions {
  database?: number;
  url?: string;
  socket?: { host?: string; port?: number; path?: string };
}

interface ClientLike {
  readonly options?: ClientOptions | undefined;
}

interface BatchCommand {
  args: readonly unknown[];
}

type AnyMethod = (this: unknown, ...args: any[]) => unknown;

let client: DbClient | undefined;

function dbClient(telemetry: Telemetry): DbClient {
  client ??= new DbClient(telemetry, redisSystem('redis'));
  return client;
}

/** Where the client connects, and its database index, read once per client (its options never change). */
interface Connection {
  readonly namespace: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
}

const connections = new WeakMap<object, Connection>();
const UNKNOWN: Connection = { namespace: undefined, serverAddress: undefined, serverPort: undefined };

function connectionOf(redis: ClientLike | undefined): Connection {
  if (redis === undefined || redis === null) return UNKNOWN;
  const options = redis.options;
  if (options === undefined || options === null) return UNKNOWN;
  let connection = connections.get(options);
  if (connection === undefined) {
    connection = readConnection(options);
    connections.set(options, connection);
  }
  return connection;
}

function readConnection(options: ClientOptions): Connection {
  let database = options.database;
  let host = options.socket?.host;
  let port = options.socket?.port;
  const path = options.socket?.path;
  if (typeof options.url === 'string') {
    // node-redis 4 keeps the URL beside the options it parsed from it; no credentials are read.
    try {
      const url = new URL(options.url);
      host ??= url.hostname === '' ? undefined : url.hostname.replace(/^\[|\]$/g, '');
      port ??= url.port === '' ? undefined : Number(url.port);
      const index = Number(url.pathname.slice(1));
      if (database === undefined && url.pathname.length > 1 && Number.isInteger(index)) database = index;
    } catch {
      // Left without an address.
    }
  }
  if (path !== undefined) return { namespace: String(database ?? 0), serverAddress: path, serverPort: undefined };
  return { namespace: String(database ?? 0), serverAddress: host ?? 'localhost', serverPort: port ?? 6379 };
}

function commandOperation(args: readonly unknown[], connection: Connection, db: DbClient): DbOperation {
  const name = redisCommandName(String(args[0]));
  return {
    operationName: name,
    queryText: redisQueryText(name, args, 1),
    namespace: connection.namespace,
    serverAddress: connection.serverAddress,
    serverPort: connection.serverPort,
    parameters: args.length > 1 && db.capturesParameters ? args.slice(1) : undefined,
  };
}

function batchOperation(kind: 'MULTI' | 'PIPELINE', commands: readonly BatchCommand[], connection: Connection, db: DbClient): DbOperation {
  if (commands.length === 1) return commandOperation(commands[0]!.args, connection, db);
  const names: string[] = [];
  const texts: string[] = [];
  for (const { args } of commands) {
    const name = String(args[0]);
    names.push(name);
    texts.push(redisQueryText(name, args, 1));
  }
  return {
    operationName: redisBatchName(kind, names),
    queryText: redisBatchText(texts),
    namespace: connection.namespace,
    serverAddress: connection.serverAddress,
    serverPort: connection.serverPort,
    batchSize: commands.length,
  };
}

function isArgs(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

/** Describes the operation of one call from what the wrapper has in hand: defined once, no closure per call. */
type Describe<T> = (db: DbClient, subject: T, client: ClientLike | undefined) => DbOperation;

const describeCommand: Describe<readonly unknown[]> = (db, args, client) => commandOperation(args, connectionOf(client), db);
const describeMulti: Describe<BatchCommand[]> = (db, commands, client) => batchOperation('MULTI', commands, connectionOf(client), db);
const describePipeline: Describe<BatchCommand[]> = (db, commands, client) => batchOperation('PIPELINE', commands, connectionOf(client), db);

/** The app's call as a span, its promise returned settled the same way; the original alone when not ours. */
function traced<T>(db: DbClient, describe: Describe<T>, subject: T, client: ClientLike | undefined, original: AnyMethod, self: unknown, args: ArrayLike<unknown>): unknown {
  const parent = activeContext();
  if (isConnectionSetup(parent)) return Reflect.apply(original, self, args);
  let call;
  try {
    call = db.start(describe(db, subject, client), parent);
  } catch (error) {
    db.guard.fail(error);
  }
  if (call === undefined) return Reflect.apply(original, self, args);
  const result = call.invoke(original, self, args);
  if (result instanceof Promise) return describe === describeCommand ? call.settle(result) : settleFor(batchOutcome(call), result);
  call.end();
  return result;
}

/**
 * A batch resolves with every command's reply, a failed command's being an error (ErrorReply); the app's
 * exec() then rejects with a MultiErrorReply. So a batch with an error reply failed, as the first one.
 * @redis/client 1 resolves a MULTI with [MULTI's reply, the QUEUED replies, EXEC's replies].
 */
function firstErrorReply(replies: unknown): Error | undefined {
  if (!Array.isArray(replies)) return undefined;
  for (const reply of replies) {
    if (reply instanceof Error) return reply;
    if (Array.isArray(reply)) {
      const nested = reply.find((inner) => inner instanceof Error) as Error | undefined;
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

function batchOutcome(call: DbCall): CallOutcome {
  return {
    succeeded(replies) {
      const failure = firstErrorReply(replies);
      call.end(failure, failure !== undefined);
    },
    failed: (error) => call.end(error, true),
  };
}

// --- @redis/client 5 and 6 -------------------------------------------------------------------------

function patchClient5(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { default?: { prototype?: Record<string, AnyMethod> } }).default?.prototype;
  if (proto === undefined) return exports;
  const db = dbClient(telemetry);
  wrap(proto, 'sendCommand', (original) =>
    function sendCommand(this: ClientLike, args: unknown) {
      if (!isArgs(args)) return Reflect.apply(original, this, arguments);
      return traced(db, describeCommand, args, this, original, this, arguments);
    },
  );
  for (const [method, describe] of [['_executeMulti', describeMulti], ['_executePipeline', describePipeline]] as const) {
    wrap(proto, method, (original) =>
      function execute(this: ClientLike, commands: unknown) {
        if (!Array.isArray(commands)) return Reflect.apply(original, this, arguments);
        return traced(db, describe, commands as BatchCommand[], this, original, this, arguments);
      },
    );
  }
  wrap(proto, 'connect', inConnectionSetup);
  return exports;
}

// --- @redis/client 1 (redis 4) -----------------------------------------------------------------------

/** The client whose public method is running its synchronous part (down to queue.addCommand). */
let currentClient: ClientLike | undefined;
/** Inside multiExecutor's synchronous part: its commands belong to the batch's span. */
let inBatch = 0;

function withCurrentClient(original: AnyMethod): AnyMethod {
  return function (this: unknown) {
    const previous = currentClient;
    currentClient = this as ClientLike;
    try {
      return Reflect.apply(original, this, arguments);
    } finally {
      currentClient = previous;
    }
  };
}

function patchClient4(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { default?: { prototype?: Record<string, AnyMethod> } }).default?.prototype;
  if (proto === undefined) return exports;
  const db = dbClient(telemetry);
  wrap(proto, 'sendCommand', withCurrentClient);
  wrap(proto, 'multiExecutor', (original) =>
    function multiExecutor(this: ClientLike, commands: unknown, _selectedDB: unknown, chainId: unknown) {
      if (!Array.isArray(commands)) return Reflect.apply(original, this, arguments);
      const describe = chainId === undefined || chainId === null ? describePipeline : describeMulti;
      inBatch++;
      try {
        return traced(db, describe, commands as BatchCommand[], this, original, this, arguments);
      } finally {
        inBatch--;
      }
    },
  );
  wrap(proto, 'connect', inConnectionSetup);
  return exports;
}

function patchQueue4(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { default?: { prototype?: Record<string, AnyMethod> } }).default?.prototype;
  if (proto === undefined) return exports;
  const db = dbClient(telemetry);
  wrap(proto, 'addCommand', (original) =>
    function addCommand(this: unknown, args: unknown, options?: { asap?: boolean; chainId?: unknown }) {
      // The handshake's commands (asap), a batch's commands (chainId, or sent inside multiExecutor).
      if (inBatch > 0 || !isArgs(args) || options?.asap === true || (options?.chainId !== undefined && options.chainId !== null)) {
        return Reflect.apply(original, this, arguments);
      }
      return traced(db, describeCommand, args, currentClient, original, this, arguments);
    },
  );
  return exports;
}

export const redis: Instrumentation = {
  name: 'redis',
  targets: [
    {
      module: '@redis/client/dist/lib/client/index.js',
      versions: '>=1.0.0 <2 || >=5.0.0 <7',
      patch: (exports, telemetry, version) => (version?.startsWith('1.') === true ? patchClient4(exports, telemetry) : patchClient5(exports, telemetry)),
    },
    { module: '@redis/client/dist/lib/client/commands-queue.js', versions: '>=1.0.0 <2', patch: patchQueue4 },
  ],
};
