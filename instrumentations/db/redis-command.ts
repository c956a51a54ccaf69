// What node-redis and ioredis share: a Redis command's db.query.text (the command and its keys, every
// value a `?`), the Redis error prefix as db.response.status_code, the batch operation name, and the
// context marking a client's own connection setup (HELLO, AUTH, SELECT, CLIENT SETINFO, the ready
// check's INFO), whose commands never get spans.
//
// Conventions: semantic-conventions docs/db/redis.md (Development; the text as of v1.37 and the
// current main, which add `MULTI`/`PIPELINE` batch names): db.query.text in the syntax of the Redis CLI
// with values redacted (`HMSET myhash field1 ? field2 ?`), db.namespace the database index as a
// string, the namespace never in the span name, db.response.status_code the simple-error prefix.

import type { Context } from '@opentelemetry/api';
import type { DbSystem } from './db-call.js';
import { DB_SYSTEM } from './semconv.js';
import { createContextKey } from '../../src/otel-api/context-key.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { applyInContext } from '../../src/context/als-context-manager.js';

export const REDIS_DEFAULT_PORT = 6379;

/** What is fixed for a Redis client instrumentation (node-redis, ioredis): the database index never names the span. */
export function redisSystem(instrumentation: string): DbSystem {
  return { instrumentation, system: DB_SYSTEM.redis, defaultPort: REDIS_DEFAULT_PORT, namespaceNamesSpan: false, statusCodeOf: redisStatusCode };
}

/** db.query.text is bounded: a 10 000-key DEL is still one readable line. */
export const REDIS_QUERY_TEXT_MAX = 1024;
/** Arguments rendered at most; the rest is ` …`. */
const MAX_ARGUMENTS = 64;

// Commands whose arguments are all keys.
const ALL_KEYS = new Set([
  'DEL', 'EXISTS', 'MGET', 'TOUCH', 'UNLINK', 'WATCH', 'SINTER', 'SUNION', 'SDIFF', 'PFCOUNT', 'SINTERCARD',
]);
// Commands whose arguments alternate key, value.
const KEY_VALUE_PAIRS = new Set(['MSET', 'MSETNX']);
// Scripts and functions: EVAL script numkeys key... arg...; the script and the arguments are values.
const SCRIPTS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
// Commands with no key in first position: only the name is kept (AUTH, HELLO and the like carry secrets).
const NO_KEY = new Set([
  'AUTH', 'HELLO', 'PING', 'ECHO', 'INFO', 'SELECT', 'DBSIZE', 'FLUSHDB', 'FLUSHALL', 'TIME', 'CLIENT', 'CONFIG',
  'COMMAND', 'MULTI', 'EXEC', 'DISCARD', 'UNWATCH', 'QUIT', 'RESET', 'SCAN', 'KEYS', 'RANDOMKEY', 'PUBLISH',
  'SPUBLISH', 'SUBSCRIBE', 'SSUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'SUNSUBSCRIBE', 'PUNSUBSCRIBE', 'PUBSUB',
  'SCRIPT', 'FUNCTION', 'MEMORY', 'SLOWLOG', 'LATENCY', 'MODULE', 'ACL', 'CLUSTER', 'READONLY', 'READWRITE',
  'WAIT', 'SAVE', 'BGSAVE', 'BGREWRITEAOF', 'LASTSAVE', 'SHUTDOWN', 'SWAPDB', 'MONITOR', 'ROLE', 'LOLWUT',
  'OBJECT', 'DEBUG', 'XREAD', 'XREADGROUP', 'MIGRATE', 'BLPOP', 'BRPOP', 'BZPOPMIN', 'BZPOPMAX', 'BLMPOP', 'BZMPOP',
  'LMPOP', 'ZMPOP', 'SORT_RO',
]);

/** A key as the CLI would show it; anything not a string or number is a `?` (it may be binary). */
function keyText(key: unknown): string {
  return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : '?';
}

/**
 * In CLI syntax, the name upper-cased: `SET user:42 ?`, `HSET user:42 ? ?`, `DEL a b`, `MSET a ? b ?`, `EVALSHA ? 1 k ?`, `PING`. `args` are the
 * arguments after the command name, as sent. Never throws; never contains a value.
 */
export function redisQueryText(name: string, args: ArrayLike<unknown>, from = 0): string {
  const upper = redisCommandName(name);
  const count = args.length - from;
  if (count <= 0 || NO_KEY.has(upper)) return upper;
  let text = upper;
  const shown = Math.min(count, MAX_ARGUMENTS);
  if (SCRIPTS.has(upper)) {
    const keys = Number(args[from + 1]);
    for (let i = 0; i < shown; i++) {
      const part = i === 1 && Number.isInteger(keys) ? String(keys) : i >= 2 && i < 2 + keys ? keyText(args[from + i]) : '?';
      text += ' ' + part;
    }
  } else if (ALL_KEYS.has(upper)) {
    for (let i = 0; i < shown; i++) text += ' ' + keyText(args[from + i]);
  } else if (KEY_VALUE_PAIRS.has(upper)) {
    for (let i = 0; i < shown; i++) text += i % 2 === 0 ? ' ' + keyText(args[from + i]) : ' ?';
  } else {
    text += ' ' + keyText(args[from]);
    for (let i = 1; i < shown; i++) text += ' ?';
  }
  if (count > shown) text += ' …';
  return text.length > REDIS_QUERY_TEXT_MAX ? `${text.slice(0, REDIS_QUERY_TEXT_MAX - 2)} …` : text;
}

const UPPER = new Map<string, string>();

/**
 * The command name in the form Redis documents it (`GET`, `HSET`): ioredis names its commands in lower
 * case after its methods (`redis.get`), node-redis sends them in upper case. Cached: the set is small.
 */
export function redisCommandName(name: string): string {
  let upper = UPPER.get(name);
  if (upper === undefined) {
    upper = name.toUpperCase();
    if (UPPER.size < 1000) UPPER.set(name, upper);
  }
  return upper;
}

const ERROR_PREFIX = /^([A-Z][A-Z0-9_]*)(?:\s|$)/;

/**
 * The Redis simple-error prefix of a server's reply error (`WRONGTYPE`, `ERR`, `NOSCRIPT`, `EXECABORT`),
 * read from its message; undefined for client-side errors ("Connection is closed.", "The client is closed").
 */
export function redisStatusCode(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  if (typeof message !== 'string') return undefined;
  return ERROR_PREFIX.exec(message)?.[1];
}

/**
 * The batch's db.operation.name: `MULTI` or `PIPELINE`, followed by the command when every command in
 * it is the same one (`PIPELINE GET`).
 */
export function redisBatchName(kind: 'MULTI' | 'PIPELINE', names: readonly string[]): string {
  if (names.length === 0) return kind;
  const first = names[0]!;
  for (let i = 1; i < names.length; i++) if (redisCommandName(names[i]!) !== redisCommandName(first)) return kind;
  return `${kind} ${redisCommandName(first)}`;
}

/** A batch's db.query.text: each command's text, `; `-separated, the same text once, bounded. */
export function redisBatchText(texts: readonly string[]): string {
  let text = '';
  const seen = new Set<string>();
  for (const part of texts) {
    if (seen.has(part)) continue;
    seen.add(part);
    text = text === '' ? part : `${text}; ${part}`;
    if (text.length > REDIS_QUERY_TEXT_MAX) return `${text.slice(0, REDIS_QUERY_TEXT_MAX - 2)} …`;
  }
  return text;
}

const CONNECTION_SETUP = createContextKey('otel-instrument redis connection setup');

/**
 * The context a client's connect() runs in: no request's span (the socket, its reconnects and the
 * handshake belong to no request), marked so that the commands the client sends on its own make no span
 * even when root spans are on.
 */
export const CONNECTION_SETUP_CONTEXT: Context = ROOT_CONTEXT.setValue(CONNECTION_SETUP, true);

export function isConnectionSetup(ctx: Context): boolean {
  return ctx.getValue(CONNECTION_SETUP) === true;
}

/** A client's connect() that runs in CONNECTION_SETUP_CONTEXT, whoever calls it. */
export function inConnectionSetup<F extends (this: any, ...args: any[]) => unknown>(connect: F): F {
  return function (this: unknown) {
    return applyInContext(CONNECTION_SETUP_CONTEXT, connect, this, arguments);
  } as F;
}
