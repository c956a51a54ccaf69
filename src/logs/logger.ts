// A Logger of the @opentelemetry/api-logs API: turns an emitted LogRecord into a ReadableLogRecord
// (trace context, limits, exception attributes) and hands it to the provider's processor.

import type { Context } from '@opentelemetry/api';
import type { Logger, LogRecord } from '@opentelemetry/api-logs';
import type { LogRecordLimits } from '../config/types.js';
import { activeContext } from '../context/als-context-manager.js';
import { diag } from '../diag/log.js';
import type { InstrumentationScope, Resource } from '../core/types.js';
import { hrNow, isTimeInput, toHrTime } from '../core/time.js';
import { writeExceptionAttributes } from '../core/exception-attributes.js';
import { validSpanContext } from '../otel-api/valid-span-context.js';
import { addLogAttributes, toAnyValue } from './log-attributes.js';
import type { LogAttributes, ReadableLogRecord } from './log-record-data.js';

export interface LogRecordListener {
  onEmit(record: ReadableLogRecord): void;
}

/** Provider-wide state every logger reads. */
export interface LoggerState {
  readonly resource: Resource;
  readonly limits: LogRecordLimits;
  readonly listener: LogRecordListener;
  stopped: boolean;
}

function severityOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24 ? value : 0;
}

/** exception.* (semantic conventions) for what was passed as LogRecord.exception; attributes the caller set win. */
function addException(attributes: LogAttributes, exception: unknown, limits: LogRecordLimits): number {
  const extra: Record<string, unknown> = {};
  writeExceptionAttributes(extra, exception);
  for (const key in extra) if (key in attributes) extra[key] = undefined;
  return addLogAttributes(attributes, extra, limits, Object.keys(attributes).length);
}

export class SdkLogger implements Logger {
  readonly #scope: InstrumentationScope;
  readonly #state: LoggerState;

  constructor(scope: InstrumentationScope, state: LoggerState) {
    this.#scope = scope;
    this.#state = state;
  }

  enabled(_options?: { context?: Context; severityNumber?: number; eventName?: string }): boolean {
    return !this.#state.stopped;
  }

  emit(logRecord: LogRecord): void {
    const state = this.#state;
    if (state.stopped || logRecord === null || typeof logRecord !== 'object') return;
    try {
      state.listener.onEmit(this.#build(logRecord, state));
    } catch (error) {
      // A bad record from app code must not throw into it.
      diag.debug(`logs: a log record could not be built: ${String(error)}`);
    }
  }

  #build(record: LogRecord, state: LoggerState): ReadableLogRecord {
    const ctx = record.context ?? activeContext();
    const sc = validSpanContext(ctx);
    const valid = sc !== undefined;
    const attributes: LogAttributes = {};
    let dropped = addLogAttributes(attributes, record.attributes, state.limits, 0);
    if (record.exception !== undefined) dropped += addException(attributes, record.exception, state.limits);
    return {
      timestamp: isTimeInput(record.timestamp) ? toHrTime(record.timestamp) : undefined,
      observedTimestamp: isTimeInput(record.observedTimestamp) ? toHrTime(record.observedTimestamp) : hrNow(),
      severityNumber: severityOf(record.severityNumber),
      severityText: typeof record.severityText === 'string' ? record.severityText : undefined,
      body: toAnyValue(record.body, Infinity),
      attributes,
      droppedAttributesCount: dropped,
      eventName: typeof record.eventName === 'string' && record.eventName !== '' ? record.eventName : undefined,
      traceId: valid ? sc.traceId : undefined,
      spanId: valid ? sc.spanId : undefined,
      traceFlags: valid ? sc.traceFlags : 0,
      resource: state.resource,
      scope: this.#scope,
    };
  }
}
