// One pino output line -> one log record. The line is what pino writes after serializers,
// redaction and formatters, so the record carries exactly what the app lets out (a redacted
// secret stays redacted; an `err` has been through the err serializer).

import type { Context } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { addExceptionAttributes } from '../../src/core/exception-attributes.js';
import { remainingErrorFields } from '../log-bridge/remaining-error-fields.js';
import { wouldEmit } from '../log-bridge/logger-enabled.js';
import { copyFields, type Attributes } from '../log-bridge/record-fields.js';
import { nameOfNumericLevel, severityOfNumericLevel } from '../log-bridge/severity.js';

/**
 * pino's own fields, not the app's: the level (severity), time (timestamp), and pid / hostname
 * (the resource's process.pid and host.name say it once per batch). `v` is bunyan's version
 * field, dropped for pino lines too in case a formatter mimics bunyan.
 */
const BOOKKEEPING: ReadonlySet<string> = new Set(['level', 'time', 'pid', 'hostname', 'v']);

export interface LineSource {
  readonly messageKey: string;
  readonly errorKey: string;
  /** pino's `logger.levels.labels`: level number -> name, custom levels included. */
  readonly labels: Readonly<Record<number, string>> | undefined;
}

export function emitLine(logger: Logger, line: string, level: number, source: LineSource, ctx: Context): void {
  const severityNumber = severityOfNumericLevel(level);
  if (!wouldEmit(logger, ctx, severityNumber)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return; // a custom stringifier or formatter made it something other than JSON: nothing to map
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
  const fields = parsed as Record<string, unknown>;
  const attributes: Attributes = {};
  const error = fields[source.errorKey];
  // The error becomes exception.*; whatever else the serializer kept of it (code, custom fields) stays under its key.
  const isException = addExceptionAttributes(attributes, error);
  if (isException) {
    const rest = remainingErrorFields(error as object);
    if (rest !== undefined) attributes[source.errorKey] = rest;
  }
  copyFields(attributes, fields, BOOKKEEPING, source.messageKey, isException ? source.errorKey : undefined);
  const label = source.labels?.[level];
  logger.emit({
    timestamp: Date.now(),
    severityNumber,
    severityText: typeof label === 'string' ? label : nameOfNumericLevel(level),
    body: fields[source.messageKey] as string | undefined,
    attributes: attributes as never,
    context: ctx,
  });
}
