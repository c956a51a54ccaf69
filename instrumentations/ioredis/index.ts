// ioredis 5 and 6: one CLIENT span per command, one per pipeline or MULTI batch.
//
// Every command of a Redis client, typed or raw (`redis.call`), passes through Redis.prototype.sendCommand
// with its Command object; a pipeline's commands pass there too, carrying the pipeline as `stream`, and
// get no span of their own: the batch's span comes from Pipeline.prototype.exec (multi() is a pipeline
// opened by MULTI). The span starts when the app makes the call, in its context, so a command waiting in
// the offline queue while the client (re)connects still belongs to the request that issued it; when the
// queue is replayed the same Command passes again and is not counted twice. The end comes from the
// Command's own resolve/reject: attaching to its promise would mark an ignored rejection as handled.
// connect() runs in a context of its own (redis-command.ts): the handshake, the ready check, the
// reconnects and the replay's SELECT make no span under whichever request first woke the client.
//
// db.namespace is the client's current database index (ioredis tracks SELECT in `condition.select`).
// Cluster: a command starts its span in Cluster.prototype.sendCommand, in the caller's context, because
// the cluster may queue it (while it connects or refreshes its slots) and hand it to a node later, in
// another context; the node's sendCommand only adds which node served it (server.address and
// server.port: the node is known only then). A MOVED or ASK redirection re-sends the same Command: one
// span, ended by the final answer. A cluster has no database index: no db.namespace.

import type { Context } from '@opentelemetry/api';
import { activeContext } from '../../src/context/als-context-manager.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { DbClient, type DbCall } from '../db/db-call.js';
import {
  inConnectionSetup,
  isConnectionSetup,
  redisBatchName,
  redisBatchText,
  redisCommandName,
  redisQueryText,
  redisSystem,
} from '../db/redis-command.js';

const VERSIONS = '>=5.0.0 <7';

interface Command {
  name: string;
  args: unknown[];
  resolve: (value: unknown) => unknown;
  reject: (error: unknown) => unknown;
  [STARTED]?: true;
  /** A cluster's command: its span waits for the node that serves it. */
  [AWAITING_NODE]?: DbCall | undefined;
}

interface RedisLike {
  options?: { host?: string; port?: number; path?: string; db?: number };
  condition?: { select?: number } | null;
}

interface PipelineLike {
  redis: RedisLike;
  isCluster?: boolean;
  _queue: Command[];
  resolve: (value: unknown) => unknown;
  reject: (error: unknown) => unknown;
  [STARTED]?: true;
}

const STARTED = Symbol('otel-instrument ioredis started');
const AWAITING_NODE = Symbol('otel-instrument ioredis awaiting node');

let client: DbClient | undefined;

function dbClient(telemetry: Telemetry): DbClient {
  client ??= new DbClient(telemetry, redisSystem('ioredis'));
  return client;
}

function namespaceOf(redis: RedisLike): string | undefined {
  const db = redis.condition?.select ?? redis.options?.db;
  return typeof db === 'number' ? String(db) : undefined;
}

function startCommand(db: DbClient, redis: RedisLike, command: Command, parent: Context): DbCall | undefined {
  const options = redis.options;
  const call = db.start(
    {
      operationName: redisCommandName(command.name),
      queryText: redisQueryText(command.name, command.args),
      namespace: namespaceOf(redis),
      serverAddress: options?.path ?? options?.host,
      serverPort: options?.path === undefined ? options?.port : undefined,
      parameters: command.args,
    },
    parent,
  );
  return call;
}

/** Ends `call` when the command or pipeline settles, without touching its promise. */
function endOnSettle(target: { resolve: (value: unknown) => unknown; reject: (error: unknown) => unknown }, call: DbCall, check?: (value: unknown) => unknown): void {
  const resolve = target.resolve;
  const reject = target.reject;
  target.resolve = function (this: unknown, value: unknown) {
    const result = Reflect.apply(resolve, this, [value]);
    const error = check?.(value);
    call.end(error, error !== undefined);
    return result;
  };
  target.reject = function (this: unknown, error: unknown) {
    call.end(error, true);
    return Reflect.apply(reject, this, [error]);
  };
}

type SendCommand = (this: RedisLike, command: Command, stream?: unknown, node?: unknown) => unknown;

function wrapSendCommand(original: SendCommand, telemetry: Telemetry): SendCommand {
  const db = dbClient(telemetry);
  return function sendCommand(this: RedisLike, command: Command, stream?: unknown) {
    if (command !== null && typeof command === 'object' && command[AWAITING_NODE] !== undefined) {
      const call = command[AWAITING_NODE];
      command[AWAITING_NODE] = undefined;
      setServer(call, this);
    }
    // A pipeline's command (its batch has the span), a replay from the offline queue, or not a Command.
    if (stream === undefined && command !== null && typeof command === 'object' && command[STARTED] === undefined && typeof command.name === 'string') {
      const parent = activeContext();
      if (!isConnectionSetup(parent)) {
        try {
          const call = startCommand(db, this, command, parent);
          if (call !== undefined) {
            command[STARTED] = true;
            endOnSettle(command, call);
          }
        } catch (error) {
          db.guard.fail(error);
        }
      }
    }
    return Reflect.apply(original, this, arguments);
  };
}

/** A cluster command's node, once known. */
function setServer(call: DbCall, redis: RedisLike): void {
  const options = redis.options;
  if (options === undefined) return;
  if (options.path !== undefined) call.setServer(options.path, undefined);
  else if (options.host !== undefined) call.setServer(options.host, options.port);
}

/** Cluster.prototype.sendCommand: the span starts here, in the caller's context, before any queueing. */
function wrapClusterSendCommand(original: SendCommand, telemetry: Telemetry): SendCommand {
  const db = dbClient(telemetry);
  return function sendCommand(this: RedisLike, command: Command, stream?: unknown) {
    if (stream === undefined && command !== null && typeof command === 'object' && command[STARTED] === undefined && typeof command.name === 'string') {
      const parent = activeContext();
      if (!isConnectionSetup(parent)) {
        try {
          const call = db.start({ operationName: redisCommandName(command.name), queryText: redisQueryText(command.name, command.args), parameters: command.args }, parent);
          if (call !== undefined) {
            command[STARTED] = true;
            command[AWAITING_NODE] = call;
            endOnSettle(command, call);
          }
        } catch (error) {
          db.guard.fail(error);
        }
      }
    }
    return Reflect.apply(original, this, arguments);
  };
}

type Connect = (this: unknown, ...args: unknown[]) => unknown;

/** A MULTI batch's exec reply: the EXEC entry's error (EXECABORT) fails the batch. */
function execError(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const last = value[value.length - 1] as unknown;
  return Array.isArray(last) && last[0] !== null && last[0] !== undefined ? last[0] : undefined;
}

type Exec = (this: PipelineLike, ...args: unknown[]) => unknown;

function wrapExec(original: Exec, telemetry: Telemetry): Exec {
  const db = dbClient(telemetry);
  return function exec(this: PipelineLike) {
    const parent = activeContext();
    if (this[STARTED] === undefined && !isConnectionSetup(parent) && Array.isArray(this._queue)) {
      try {
        startBatch(db, this, parent);
      } catch (error) {
        db.guard.fail(error);
      }
    }
    return Reflect.apply(original, this, arguments);
  };
}

function startBatch(db: DbClient, pipeline: PipelineLike, parent: Context): void {
  const queue = pipeline._queue;
  // multi(): a pipeline opened by MULTI; its EXEC may be queued only inside exec().
  const transaction = queue.length >= 1 && queue[0]!.name === 'multi';
  const commands = transaction ? queue.slice(1, queue[queue.length - 1]!.name === 'exec' ? -1 : undefined) : queue;
  const names = commands.map((command) => command.name);
  const texts = commands.map((command) => redisQueryText(command.name, command.args));
  const single = commands.length === 1;
  const redis = pipeline.redis;
  const options = pipeline.isCluster === true ? undefined : redis.options;
  const call = db.start(
    {
      operationName: single ? redisCommandName(names[0]!) : redisBatchName(transaction ? 'MULTI' : 'PIPELINE', names),
      queryText: redisBatchText(texts),
      namespace: pipeline.isCluster === true ? undefined : namespaceOf(redis),
      serverAddress: options?.path ?? options?.host,
      serverPort: options?.path === undefined ? options?.port : undefined,
      batchSize: commands.length,
    },
    parent,
  );
  if (call === undefined) return;
  pipeline[STARTED] = true;
  endOnSettle(pipeline, call, transaction ? execError : undefined);
}

export const ioredis: Instrumentation = {
  name: 'ioredis',
  targets: [
    {
      module: 'ioredis/built/Redis.js',
      versions: VERSIONS,
      patch(exports, telemetry) {
        const Redis = (exports as { default?: { prototype?: Record<string, unknown> } }).default;
        const proto = Redis?.prototype as { sendCommand: SendCommand; connect: Connect } | undefined;
        if (proto === undefined) return exports;
        wrap(proto, 'sendCommand', (original) => wrapSendCommand(original, telemetry));
        wrap(proto, 'connect', inConnectionSetup);
        return exports;
      },
    },
    {
      module: 'ioredis/built/cluster/index.js',
      versions: VERSIONS,
      patch(exports, telemetry) {
        const Cluster = (exports as { default?: { prototype?: Record<string, unknown> } }).default;
        const proto = Cluster?.prototype as { sendCommand: SendCommand; connect: Connect; refreshSlotsCache: Connect } | undefined;
        if (proto === undefined) return exports;
        wrap(proto, 'sendCommand', (original) => wrapClusterSendCommand(original, telemetry));
        // Its own work (CLUSTER SLOTS, the nodes' handshakes) makes no span under the request that woke it.
        wrap(proto, 'connect', inConnectionSetup);
        wrap(proto, 'refreshSlotsCache', inConnectionSetup);
        return exports;
      },
    },
    {
      module: 'ioredis/built/Pipeline.js',
      versions: VERSIONS,
      patch(exports, telemetry) {
        const Pipeline = (exports as { default?: { prototype?: Record<string, unknown> } }).default;
        const proto = Pipeline?.prototype as { exec: Exec } | undefined;
        if (proto === undefined) return exports;
        wrap(proto, 'exec', (original) => wrapExec(original, telemetry));
        return exports;
      },
    },
  ],
};
