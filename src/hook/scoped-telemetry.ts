// Each instrumentation's own tracer, meter and logger. The specification's InstrumentationScope
// names the library that produced a span, metric or log record; ours is `otel-instrument/<name>`
// (otel-instrument/http, otel-instrument/express, ...) with our package version, so a backend can
// tell which instrumentation made what. Built once per instrumentation, when it is first loaded;
// the providers cache per scope too, so nothing here runs per request.

import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info.js';
import type { Telemetry, TelemetrySources } from './instrumentation.js';

/** `otel-instrument/<instrumentation>`: the scope name of everything an instrumentation records. */
export function instrumentationScopeName(instrumentationName: string): string {
  return `${PACKAGE_NAME}/${instrumentationName}`;
}

/**
 * The Telemetry handed to one instrumentation. Log bridges (console, pino, winston, bunyan) get
 * the same rule: the Logs Bridge API says a source with logger names SHOULD use the logger's name
 * as the scope name, but JavaScript loggers mostly have none (pino and winston by default), and the
 * scope is what tells a backend which bridge wrote a record; a logger's own name, where it has one,
 * stays on the record as the library wrote it.
 */
export function scopedTelemetry(sources: TelemetrySources, instrumentationName: string): Telemetry {
  const scope = instrumentationScopeName(instrumentationName);
  const meterProvider = sources.meterProvider;
  return {
    tracer: sources.tracerProvider.getTracer(scope, PACKAGE_VERSION),
    meter: meterProvider?.getMeter(scope, PACKAGE_VERSION),
    backgroundMeter: meterProvider?.getBackgroundMeter?.(scope, PACKAGE_VERSION),
    logger: sources.loggerProvider?.getLogger(scope, PACKAGE_VERSION),
    propagator: sources.propagator,
    config: sources.config,
  };
}
