// Test support: our instrumentations installed in the test process itself, as the bootstrap installs
// them (the module hooks, the registry's entries), recording into memory. A logic bug in http or
// express shows in milliseconds, with no child process and no receiver.
//
// Require the instrumented modules (node:http, express) only after instrumentInProcess(): the hook
// patches them as they load.

import type { Attributes, Context, Counter, Histogram, Meter, Tracer } from '@opentelemetry/api';
import { activeContext } from '../../src/context/als-context-manager.js';
import { validSpanContext } from '../../src/otel-api/valid-span-context.js';
import { INSTRUMENTATION_SETTINGS, INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import { loadConfig } from '../../src/config/load-config.js';
import { traceContextPropagator } from '../../src/context/propagation/tracecontext.js';
import { ModuleHooks } from '../../src/hook/module-hooks.js';
import { alwaysOn } from '../../src/trace/samplers.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import type { SdkSpan } from '../../src/trace/span.js';
import { SdkTracerProvider } from '../../src/trace/tracer-provider.js';

export interface RecordedMeasurement {
  readonly scope: string;
  readonly instrument: string;
  readonly value: number;
  readonly attributes: Attributes;
}

export interface InProcess {
  /** Ended spans, oldest first. */
  readonly spans: ReadableSpan[];
  /** Every histogram recording, oldest first. */
  readonly measurements: RecordedMeasurement[];
  readonly hooks: ModuleHooks;
  /** Empties both lists. */
  clear(): void;
}

/**
 * The span id a measurement's exemplar would carry (the context passed, else the active one, as the SDK
 * decides): not enumerable, so tests comparing measurements with deepEqual need not name it.
 */
export function exemplarSpanIdOf(measurement: RecordedMeasurement): string | undefined {
  return (measurement as { exemplarSpanId?: string }).exemplarSpanId;
}

function recorded(scope: string, instrument: string, value: number, attributes: Attributes, context: Context | undefined): RecordedMeasurement {
  const measurement = { scope, instrument, value, attributes };
  return Object.defineProperty(measurement, 'exemplarSpanId', { value: validSpanContext(context ?? activeContext())?.spanId, enumerable: false });
}

/** A meter that keeps every histogram recording and counter addition (the messaging instrumentations count messages). */
export function recordingMeter(scope: string, measurements: RecordedMeasurement[]): Meter {
  return {
    createHistogram(instrument: string): Histogram {
      return { record: (value: number, attributes: Attributes = {}, context?: Context) => void measurements.push(recorded(scope, instrument, value, attributes, context)) };
    },
    createCounter(instrument: string): Counter {
      return { add: (value: number, attributes: Attributes = {}, context?: Context) => void measurements.push(recorded(scope, instrument, value, attributes, context)) };
    },
  } as unknown as Meter;
}

/** A tracer provider that samples everything, with the default limits, and hands each ended span to `onEnd`. */
export function recordingTracerProvider(onEnd: (span: SdkSpan) => void): SdkTracerProvider {
  return new SdkTracerProvider({
    sampler: alwaysOn,
    limits: loadConfig({}).spanLimits,
    resource: { attributes: { 'service.name': 'in-process' } },
    listener: { onEnd },
  });
}

/**
 * Installs the named registry instrumentations in this process, recording spans and measurements.
 * `env` is the configuration they read (their own settings included), as the bootstrap reads process.env.
 */
export function instrumentInProcess(names: readonly string[], env: NodeJS.ProcessEnv = {}): InProcess {
  const spans: ReadableSpan[] = [];
  const measurements: RecordedMeasurement[] = [];
  const tracerProvider = recordingTracerProvider((span) => spans.push(span));
  const entries = INSTRUMENTATIONS.filter((entry) => names.includes(entry.name));
  const hooks = new ModuleHooks(entries, {
    tracerProvider,
    meterProvider: { getMeter: (scope: string) => recordingMeter(scope, measurements) },
    loggerProvider: undefined,
    propagator: traceContextPropagator,
    config: loadConfig(env, { extra: INSTRUMENTATION_SETTINGS }),
  });
  hooks.install();
  // Channel-only instrumentations have no module to wait for: they subscribe now, as the bootstrap does.
  for (const entry of entries) if (entry.modules.length === 0) entry.load().subscribe?.(hooks.telemetryFor(entry.name));
  return {
    spans,
    measurements,
    hooks,
    clear() {
      spans.length = 0;
      measurements.length = 0;
    },
  };
}

/**
 * Waits until `count` spans have ended: a server span ends on the response's 'close', which can come
 * a tick after the client has read the answer. No sleeps: polled on each turn, with a deadline.
 */
export async function waitForSpans(spans: readonly ReadableSpan[], count: number, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (spans.length < count) {
    if (Date.now() > deadline) throw new Error(`${spans.length}/${count} spans ended: ${spans.map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Installs `names` (http among them, as a rule) with the tracer of one of them, `faulty`, throwing on
 * every startSpan: a fault of ours inside that instrumentation. The others record; their spans are
 * returned, filled as they end.
 */
export function instrumentWithFaultyTracer(names: readonly string[], faulty: string): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const working = recordingTracerProvider((span) => spans.push(span));
  const broken = {
    startSpan: () => {
      throw new Error('injected fault in tracer.startSpan');
    },
  } as unknown as Tracer;
  new ModuleHooks(INSTRUMENTATIONS.filter((entry) => names.includes(entry.name)), {
    tracerProvider: { getTracer: (name: string, version?: string) => (name === `otel-instrument/${faulty}` ? broken : working.getTracer(name, version)) },
    meterProvider: undefined,
    loggerProvider: undefined,
    propagator: traceContextPropagator,
    config: loadConfig({}, { extra: INSTRUMENTATION_SETTINGS }),
  }).install();
  return spans;
}
