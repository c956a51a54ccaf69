// A formatted winston info -> one log record. Built from what the format pipeline produced (after
// splat interpolation, the errors format, and any masking format of the app), with the level from
// the LEVEL symbol (the `level` string may carry colour codes).

import type { Logger } from '@opentelemetry/api-logs';
import { addExceptionAttributes, addStackAttributes } from '../../src/core/exception-attributes.js';
import { remainingErrorFields } from '../log-bridge/remaining-error-fields.js';
import { levelTableFor, severityOfNamedLevel } from '../log-bridge/named-levels.js';
import { wouldEmit } from '../log-bridge/logger-enabled.js';
import { copyFields, stripAnsi, type Attributes } from '../log-bridge/record-fields.js';
import { validSpanContext } from '../log-bridge/trace-fields.js';
import { contextOf, type Info } from './correlation.js';
import { isWritten, type WinstonLoggerLike } from './transport-levels.js';

const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');

// `level` and `message` become severity and body. `stack` goes to exception.stacktrace when an
// error was found. trace_id & co. are skipped only when they are the ones we added (the record
// carries them as its trace context); an app's own trace_id stays.
const BASE = ['level', 'message'];
const TRACE = ['trace_id', 'span_id', 'trace_flags'];
const SKIP: readonly ReadonlySet<string>[] = [
  new Set(BASE),
  new Set([...BASE, 'stack']),
  new Set([...BASE, ...TRACE]),
  new Set([...BASE, 'stack', ...TRACE]),
];

/**
 * The error of a record, in the order winston users pass one: an `err` / `error` field
 * (`logger.error('failed', { error })`), an Error among the splat arguments
 * (`logger.error('failed', err)`), the info itself (`logger.error(err)`).
 * Returns the field name it came from, '' when it is not a field, undefined when there is none.
 */
function addError(attributes: Attributes, info: Info): string | undefined {
  if (addExceptionAttributes(attributes, info.err)) return 'err';
  if (addExceptionAttributes(attributes, info.error)) return 'error';
  const splat = info[SPLAT];
  if (Array.isArray(splat)) {
    for (let i = 0; i < splat.length; i++) if (splat[i] instanceof Error && addExceptionAttributes(attributes, splat[i])) return '';
  }
  if (info instanceof Error && addExceptionAttributes(attributes, info)) return '';
  if (typeof info.stack === 'string') {
    addStackAttributes(attributes, info.stack);
    return '';
  }
  return undefined;
}

export function emitInfo(otelLogger: Logger, logger: WinstonLoggerLike, info: Info): void {
  if (!isWritten(logger, info)) return;
  const ctx = contextOf(info);
  const level = info[LEVEL] as string;
  // The logger's level set decides: `verbose` is above `debug` in npm's set and below it in cli's.
  const severityNumber = severityOfNamedLevel(levelTableFor(logger.levels), level);
  if (!wouldEmit(otelLogger, ctx, severityNumber)) return;
  const sc = validSpanContext(ctx);
  const ours = sc !== undefined && info.trace_id === sc.traceId;
  const attributes: Attributes = {};
  const errorKey = addError(attributes, info);
  if (errorKey) {
    const rest = remainingErrorFields(info[errorKey] as object);
    if (rest !== undefined) attributes[errorKey] = rest;
  }
  const withStack = errorKey !== undefined && typeof info.stack === 'string';
  copyFields(attributes, info, SKIP[(withStack ? 1 : 0) + (ours ? 2 : 0)]!, undefined, errorKey || undefined);
  const message = info.message;
  otelLogger.emit({
    timestamp: Date.now(),
    severityNumber,
    severityText: level,
    body: (typeof message === 'string' ? stripAnsi(message) : message) as string,
    attributes: attributes as never,
    context: ctx,
  });
}
