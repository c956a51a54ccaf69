// postgres.js 4 publishes every query on its TracingChannel `postgres:query` (its README, "Tracing"):
// start runs in the context of the code that awaited the query (before it waits for a connection),
// asyncEnd when it settles, with one message object that fills in as the query goes: the text sent,
// the database, then the connection's host and port, and the result or the error. Nothing of
// postgres.js 4 is patched; this subscribes once, when the app first loads it.
//
// The text postgres.js sends has `$n` where the app passed values; text without any (sql.unsafe with a
// literal, or a template written with its values inline) is sanitized (db/sql-query.ts).
//
// Each handler runs through the client's guard (Guard.subscriber): our own throw turns the
// instrumentation off rather than reaching the app as an uncaught exception.

import * as diagnosticsChannel from 'node:diagnostics_channel';
import { activeContext } from '../../src/context/als-context-manager.js';
import type { DbCall, DbClient } from '../db/db-call.js';
import { sqlQuery } from '../db/sql-query.js';

type Message = Record<string | symbol, unknown>;

const CALL = Symbol('otel-instrument.postgres.call');
const PLACEHOLDER = /\$\d/;

/** Held here: a channel nobody references may be collected with its subscribers (Node 20). */
let subscribed: diagnosticsChannel.TracingChannel<object, object> | undefined;

function onStart(db: DbClient, message: Message): void {
  const text = typeof message.query === 'string' ? message.query : undefined;
  const sql = text === undefined ? undefined : sqlQuery(text, PLACEHOLDER.test(text));
  const call = db.start(
    {
      namespace: typeof message.database === 'string' && message.database !== '' ? message.database : undefined,
      queryText: sql?.text,
      querySummary: sql?.summary,
    },
    activeContext(),
  );
  if (call !== undefined) message[CALL] = call;
}

function onAsyncEnd(message: Message): void {
  const call = message[CALL] as DbCall | undefined;
  if (call === undefined) return;
  message[CALL] = undefined;
  // Known once the query was sent on a connection; a Unix socket has no address to give.
  const host = typeof message.host === 'string' && message.host !== '' && !message.host.startsWith('/') ? message.host : undefined;
  const port = typeof message.port === 'number' && host !== undefined ? message.port : undefined;
  if (host !== undefined) call.setServer(host, port);
  // postgres.js sets `error` only when the query failed.
  if ('error' in message) call.end(message.error, true);
  else call.end();
}

/** The subscription, made once for the process, whichever copy of postgres.js 4 loads first. */
export function subscribeQueryChannel(db: DbClient): void {
  if (subscribed !== undefined || typeof diagnosticsChannel.tracingChannel !== 'function') return;
  const noop = (): void => undefined;
  subscribed = diagnosticsChannel.tracingChannel('postgres:query');
  subscribed.subscribe({
    start: db.guard.subscriber((message: Message) => onStart(db, message)),
    end: noop,
    asyncStart: noop,
    asyncEnd: db.guard.subscriber(onAsyncEnd),
    error: noop,
  });
}
