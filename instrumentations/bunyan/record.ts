// A bunyan record -> one log record.

import type { Context } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { addExceptionAttributes } from '../../src/core/exception-attributes.js';
import { remainingErrorFields } from '../log-bridge/remaining-error-fields.js';
import { wouldEmit } from '../log-bridge/logger-enabled.js';
import { copyFields, type Attributes } from '../log-bridge/record-fields.js';
import { nameOfNumericLevel, severityOfNumericLevel } from '../log-bridge/severity.js';

export type BunyanRecord = Record<string, unknown>;

export interface BunyanLoggerLike {
  readonly streams?: ReadonlyArray<{ readonly level?: number }>;
}

/**
 * bunyan's own fields, not the app's: v (record format version), level (severity), time
 * (timestamp), msg (body), and hostname / pid (the resource's host.name and process.pid). `name`
 * is the logger's name, set once for the root logger and all its children (bunyan forbids
 * renaming a child), so it names the app rather than the record; dropped as contrib's bridge does.
 * `err` becomes exception.*.
 */
const BOOKKEEPING: ReadonlySet<string> = new Set(['v', 'level', 'name', 'hostname', 'pid', 'time', 'msg']);

/** _emit writes to the streams whose level is at or below the record's; with none, nothing is written. */
export function hasTakingStream(logger: BunyanLoggerLike, rec: BunyanRecord): boolean {
  const streams = logger.streams;
  const level = rec.level as number;
  if (!Array.isArray(streams)) return true;
  for (let i = 0; i < streams.length; i++) if ((streams[i]!.level ?? 0) <= level) return true;
  return false;
}

export function emitRecord(otelLogger: Logger, rec: BunyanRecord, ctx: Context): void {
  const level = rec.level as number;
  const severityNumber = severityOfNumericLevel(level);
  if (!wouldEmit(otelLogger, ctx, severityNumber)) return;
  const attributes: Attributes = {};
  const err = rec.err;
  const isException = addExceptionAttributes(attributes, err);
  if (isException) {
    const rest = remainingErrorFields(err as object);
    if (rest !== undefined) attributes.err = rest;
  }
  copyFields(attributes, rec, BOOKKEEPING, undefined, isException ? 'err' : undefined);
  const time = rec.time;
  otelLogger.emit({
    timestamp: time instanceof Date && !Number.isNaN(time.getTime()) ? time : Date.now(),
    severityNumber,
    severityText: nameOfNumericLevel(level),
    body: rec.msg as string,
    attributes: attributes as never,
    context: ctx,
  });
}
