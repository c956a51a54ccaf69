// Test support: a LoggerProvider that keeps what bridges emit, plus a span context to log in.

import assert from 'node:assert/strict';
import { propagation, ProxyTracerProvider, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import type { Logger, LoggerProvider, LogRecord } from '@opentelemetry/api-logs';
import type { InstrumentationEntry, TelemetrySources } from '../../../src/hook/instrumentation.js';
import { INSTRUMENTATIONS } from '../../../instrumentations/registry.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { runWithContext } from '../../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { ModuleHooks } from '../../../src/hook/module-hooks.js';

export interface EmittedRecord extends LogRecord {
  readonly scope: { readonly name: string; readonly version: string | undefined };
}

export class RecordingLoggerProvider implements LoggerProvider {
  readonly records: EmittedRecord[] = [];
  /** Set to make emit throw (our side failing). */
  failing = false;

  getLogger(name: string, version?: string): Logger {
    const scope = { name, version };
    return {
      emit: (record: LogRecord) => {
        if (this.failing) throw new Error('the SDK broke');
        this.records.push({ ...record, scope });
      },
      enabled: () => true,
    };
  }

  take(): EmittedRecord[] {
    return this.records.splice(0);
  }
}

export const SPAN: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
};

export const SPAN_CONTEXT: Context = trace.setSpanContext(ROOT_CONTEXT, SPAN);

/** Runs fn with SPAN active, the way the SDK's server span would be. */
export function inSpan<T>(fn: () => T, sc: SpanContext = SPAN): T {
  return runWithContext(trace.setSpanContext(ROOT_CONTEXT, sc), fn);
}

export function telemetryWith(loggerProvider: LoggerProvider | undefined): TelemetrySources {
  return {
    tracerProvider: new ProxyTracerProvider(),
    meterProvider: undefined,
    loggerProvider,
    propagator: propagation,
    config: loadConfig({}),
  };
}

/** Installs our require hook for one registry entry, as the bootstrap does; require the library after this. */
export function hookRegistryEntry(name: string, loggerProvider: LoggerProvider | undefined): ModuleHooks {
  const entry = INSTRUMENTATIONS.find((e: InstrumentationEntry) => e.name === name);
  if (entry === undefined) throw new Error(`no registry entry ${name}`);
  const hooks = new ModuleHooks([entry], telemetryWith(loggerProvider));
  hooks.install();
  return hooks;
}

/** The fields we add, as the spec's non-OTLP formats name them. */
export const TRACE_FIELDS = { trace_id: SPAN.traceId, span_id: SPAN.spanId, trace_flags: '01' } as const;

/**
 * pino and bunyan share a logging API, so their tests run the same scenario: a child logger's warn
 * inside a span, a debug outside it, a trace below the level. Checks the two records it must
 * produce; returns the warn record for library-specific checks (timestamp type, scope).
 */
export function assertChildWarnThenDebug(records: EmittedRecord[]): EmittedRecord {
  const [warn, debug, ...rest] = records;
  assert.deepEqual(rest, []);
  assert.equal(warn!.severityNumber, 13);
  assert.equal(warn!.severityText, 'warn');
  assert.equal(warn!.body, 'slow query');
  // The library's own bookkeeping (level, time, pid, hostname, msg...) is not an attribute; child bindings and fields are.
  assert.deepEqual(warn!.attributes, { component: 'db', query: 'select 1', nested: { rows: 2 } });
  assert.deepEqual(trace.getSpanContext(warn!.context!), SPAN);
  assert.equal(debug!.severityNumber, 5);
  assert.equal(debug!.body, 'details');
  assert.equal(trace.getSpanContext(debug!.context!), undefined);
  return warn!;
}

/** The scenario assertChildWarnThenDebug checks, for a pino or bunyan logger at level debug. */
export function logChildWarnThenDebug(logger: { child(bindings: object): { warn(fields: object, msg: string): void }; debug(msg: string): void; trace(msg: string): void }): void {
  const child = logger.child({ component: 'db' });
  inSpan(() => child.warn({ query: 'select 1', nested: { rows: 2 } }, 'slow query'));
  logger.debug('details');
  logger.trace('not written: below the logger level');
}
