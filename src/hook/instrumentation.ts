// What an instrumentation declares, and what it is handed when its module loads.

import type { Meter, MeterProvider, TextMapPropagator, Tracer, TracerProvider } from '@opentelemetry/api';
import type { Logger, LoggerProvider } from '@opentelemetry/api-logs';
import type { Config } from '../config/types.js';
import type { Setting } from '../config/setting.js';

/**
 * Everything a patch may use. Instrumentations know the API and semantic conventions, never exporters.
 * Each instrumentation gets its own (scoped-telemetry.ts): tracer, meter and logger carry its
 * instrumentation scope, `otel-instrument/<name>` and our version.
 */
export interface Telemetry {
  readonly tracer: Tracer;
  /** Undefined when metrics are off, so instrumentations skip measuring altogether. */
  readonly meter: Meter | undefined;
  /** For our own background measurements (runtime metrics): they never trigger a flush by themselves. */
  readonly backgroundMeter?: Meter | undefined;
  /**
   * Where log bridges (console, pino, winston, bunyan) send records; undefined when OTEL_LOGS_EXPORTER
   * is none, so they skip building records (trace-id injection into the app's own lines still runs).
   */
  readonly logger: Logger | undefined;
  readonly propagator: TextMapPropagator;
  readonly config: Config;
}

/** Our SDK's meter provider also makes background meters; any other MeterProvider works without them. */
export interface InstrumentationMeterProvider extends MeterProvider {
  getBackgroundMeter?(name: string, version?: string): Meter;
}

/** What the bootstrap hands the module hooks: providers, from which each instrumentation's Telemetry is made. */
export interface TelemetrySources {
  readonly tracerProvider: TracerProvider;
  /** Undefined when metrics are off. */
  readonly meterProvider: InstrumentationMeterProvider | undefined;
  /** Undefined when logs are off. */
  readonly loggerProvider: LoggerProvider | undefined;
  readonly propagator: TextMapPropagator;
  readonly config: Config;
}

export interface ModuleTarget {
  /** Module name as required: 'http', 'express', 'router/lib/layer.js'. */
  readonly module: string;
  /** Semver range bounded by the next major ('>=4.0.0 <6'); '*' for builtins. */
  readonly versions: string;
  /** Patches in place and returns the exports to hand to the app. Must not throw (the hook guards anyway). */
  patch(exports: unknown, telemetry: Telemetry, version: string | undefined): unknown;
}

export interface Instrumentation {
  /** Key for OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
  readonly name: string;
  readonly targets: readonly ModuleTarget[];
  /**
   * For instrumentations fed by diagnostics_channel (no module to hook, e.g. the global fetch):
   * called once at startup. Must not throw; subscribers guard themselves.
   */
  subscribe?(telemetry: Telemetry): void;
}

/** What the registry knows before any instrumentation code is loaded. */
export interface InstrumentationEntry {
  readonly name: string;
  /** Modules whose first load loads the instrumentation. Empty: loaded at startup (channel-only). */
  readonly modules: readonly string[];
  /** Its own settings (data only, from its settings.ts): the settings table takes them in without loading it. */
  readonly settings?: readonly Setting[];
  load(): Instrumentation;
}
