// bunyan builds each record object (mkRecord: serializers applied, a fresh object, not the app's)
// and hands it to Logger.prototype._emit, which stringifies it once for all streams. _emit is
// only called for levels the logger has enabled, in the caller's context: there the record is
// sent, then the trace fields are added so every stream (JSON or raw) sees them.

import type { Logger } from '@opentelemetry/api-logs';
import { activeContext } from '../../src/context/als-context-manager.js';
import { Guard } from '../../src/hook/guard.js';
import { assignTraceFields, validSpanContext } from '../log-bridge/trace-fields.js';
import { emitRecord, hasTakingStream, type BunyanLoggerLike, type BunyanRecord } from './record.js';

export const guard = new Guard('bunyan');

let otelLogger: Logger | undefined;

/** Undefined when logs are not exported: records still get their trace fields. */
export function setLogger(logger: Logger | undefined): void {
  otelLogger = logger;
}

type Emit = (this: BunyanLoggerLike, rec: unknown, noemit?: unknown) => unknown;

function bridge(logger: BunyanLoggerLike, rec: BunyanRecord): void {
  const ctx = activeContext();
  if (otelLogger !== undefined && hasTakingStream(logger, rec)) emitRecord(otelLogger, rec, ctx);
  const sc = validSpanContext(ctx);
  if (sc !== undefined) assignTraceFields(rec, sc);
}

export function wrapEmit(original: Emit): Emit {
  return function _emit(this: BunyanLoggerLike, rec: unknown, noemit?: unknown): unknown {
    // noemit: bunyan only wants the JSON string (DTrace probes), nothing is written.
    if (guard.enabled && !noemit && rec !== null && typeof rec === 'object') {
      try {
        bridge(this, rec as BunyanRecord);
      } catch (error) {
        guard.fail(error);
      }
    }
    return original.call(this, rec, noemit);
  };
}
