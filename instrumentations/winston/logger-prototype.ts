// The two wrappers on winston's Logger.prototype (inherited by every logger, child loggers and
// the default logger included): `write` adds the trace fields and keeps the caller's context,
// `push` sees each formatted info on its way to the transports and sends it as a log record.

import type { Logger } from '@opentelemetry/api-logs';
import { Guard } from '../../src/hook/guard.js';
import { prepareInfo, type Info } from './correlation.js';
import { emitInfo } from './info-record.js';
import { whileLibraryWrites } from '../log-bridge/library-writing.js';
import type { WinstonLoggerLike } from './transport-levels.js';

export const guard = new Guard('winston');

let otelLogger: Logger | undefined;

/** Undefined when logs are not exported: records still get their trace fields. */
export function setLogger(logger: Logger | undefined): void {
  otelLogger = logger;
}

type Write = (this: unknown, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type Push = (this: unknown, chunk: unknown, encoding?: unknown) => boolean;

export function wrapWrite(original: Write): Write {
  return function write(this: unknown, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (guard.enabled) {
      try {
        prepareInfo(chunk, otelLogger !== undefined);
      } catch (error) {
        guard.fail(error);
      }
    }
    return original.call(this, chunk, encoding, callback);
  };
}

export function wrapPush(original: Push): Push {
  return function push(this: unknown, chunk: unknown, encoding?: unknown): boolean {
    // null ends the stream; false/undefined is a record a format filtered out.
    if (otelLogger !== undefined && guard.enabled && chunk !== null && typeof chunk === 'object') {
      try {
        emitInfo(otelLogger, this as WinstonLoggerLike, chunk as Info);
      } catch (error) {
        guard.fail(error);
      }
      // The transports run from here (synchronously while the stream flows): what they print is this record.
      return whileLibraryWrites(() => original.call(this, chunk, encoding));
    }
    return original.call(this, chunk, encoding);
  };
}
