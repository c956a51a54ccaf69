// Logger.prototype.write receives every record (the info object) synchronously in the caller's
// context, before winston runs the format pipeline. Trace fields added to the info here appear in
// what the app's own formats produce (format.json(), logstash, printf over info). The context is
// also kept on the info for the record sent later: winston may transform a record after write
// returns (its stream buffers when transports push back), when another context is active.

import type { Context } from '@opentelemetry/api';
import { activeContext } from '../../src/context/als-context-manager.js';
import { assignTraceFields, validSpanContext } from '../log-bridge/trace-fields.js';

/** Where the caller's context travels with the info; symbols are not serialized by winston's formats. */
export const CONTEXT = Symbol('otel-instrument.winston.context');

export type Info = Record<string | symbol, unknown>;

export function prepareInfo(info: unknown, keepContext: boolean): void {
  if (info === null || typeof info !== 'object') return;
  const ctx = activeContext();
  if (keepContext) (info as Info)[CONTEXT] = ctx;
  const sc = validSpanContext(ctx);
  if (sc !== undefined) assignTraceFields(info as Record<string, unknown>, sc);
}

export function contextOf(info: Info): Context {
  const ctx = info[CONTEXT];
  return ctx !== undefined ? (ctx as Context) : activeContext();
}
