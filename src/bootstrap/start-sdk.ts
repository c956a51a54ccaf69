// Resource -> providers -> globals -> module hooks -> shutdown, for an enabled SDK (start.ts
// decides that before any of this is loaded).

import { isMainThread, threadId } from 'node:worker_threads';
import { NOOP_TRACER_PROVIDER } from '../trace/noop-tracer.js';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import type { InstrumentationEntry, TelemetrySources } from '../hook/instrumentation.js';
import type { Config } from '../config/types.js';
import { OTLP_TIMEOUT_MS } from '../config/spec-defaults.js';
import { contextManager } from '../context/als-context-manager.js';
import { diag } from '../diag/log.js';
import { ModuleHooks } from '../hook/module-hooks.js';
import { detectResource } from '../resource/detect.js';
import { onAppApiLoaded, registerApiGlobals, registerLogsGlobal } from './api-globals.js';
import type { Pipeline } from '../exit/app-pipeline.js';
import { createPropagator } from './propagators.js';
import { installShutdown, type ShutdownNow } from '../exit/app-shutdown.js';
import { recordFatalExceptions } from '../exit/app-crash-log.js';
import { startTracing } from './start-tracing.js';
import type { TracerProvider } from '@opentelemetry/api';
import type { Resource } from '../core/types.js';
import type { SdkLoggerProvider } from '../logs/logger-provider.js';
import type { SdkMeterProvider } from '../metrics/meter-provider.js';
import type { MainThreadTakes } from '../threads/thread-messages.js';

export function selectInstrumentations(config: Config): InstrumentationEntry[] {
  // Unknown names were reported with the configuration (loadConfig, start.ts).
  const enabled = config.enabledInstrumentations;
  const disabled = new Set(config.disabledInstrumentations);
  return INSTRUMENTATIONS.filter(
    (entry) => (enabled === undefined || enabled.includes(entry.name)) && !disabled.has(entry.name),
  );
}

/** Worker threads run the preload too (they are app code): say which thread started. */
function threadLabel(): string {
  return isMainThread ? '' : ` thread ${threadId}`;
}

/** What the main thread takes from this worker thread; the main thread loads nothing of a worker's side. */
function mainThreadTakes(): MainThreadTakes | undefined {
  return isMainThread ? undefined : (require('../threads/to-main-thread.js') as typeof import('../threads/to-main-thread.js')).mainThreadTakes();
}

/** Channel-only instrumentations have no module to wait for: they subscribe now. */
function subscribeChannelInstrumentations(entries: readonly InstrumentationEntry[], hooks: ModuleHooks): void {
  for (const entry of entries) {
    if (entry.modules.length > 0) continue;
    try {
      entry.load().subscribe?.(hooks.telemetryFor(entry.name));
      diag.debug(`instrumentation ${entry.name} started (it has no module to wait for)`);
    } catch (error) {
      diag.debug(`instrumentation ${entry.name} could not subscribe: ${String(error)}`);
    }
  }
}

/** A running SDK: its module hooks, and how to flush and shut it down from the app (src/programmatic). */
export interface StartedSdk {
  readonly hooks: ModuleHooks;
  readonly shutdown: ShutdownNow;
}

export function startSdk(config: Config): StartedSdk {
  const resource = detectResource(config);
  const propagator = createPropagator(config.propagators);
  // A worker thread whose main thread takes its telemetry (src/threads) exports nothing itself.
  const takes = mainThreadTakes();
  const signals = takes === undefined ? startSignals(config, resource) : startWorkerSignals(config, resource, takes);

  registerApiGlobals({ context: contextManager, propagation: propagator, trace: signals.tracerProvider, metrics: signals.meterProvider });
  if (signals.loggerProvider !== undefined) {
    registerLogsGlobal(signals.loggerProvider);
    recordFatalExceptions(signals.loggerProvider);
  }

  // Each instrumentation gets its own scope from these (hook/scoped-telemetry.ts).
  const sources: TelemetrySources = {
    tracerProvider: signals.tracerProvider ?? NOOP_TRACER_PROVIDER,
    meterProvider: signals.meterProvider,
    loggerProvider: signals.loggerProvider,
    propagator,
    config,
  };
  // The runtime metrics are the process's (CPU, memory) and the main thread's (event loop, heap): recorded
  // there only, when it takes the workers' telemetry.
  const selected = selectInstrumentations(config).filter((entry) => takes === undefined || entry.name !== 'runtime');
  const hooks = new ModuleHooks(selected, sources);
  hooks.listen('@opentelemetry/api', onAppApiLoaded);
  hooks.install();
  subscribeChannelInstrumentations(selected, hooks);

  const shutdown = signals.shutdown();
  diag.debug(
    `started in pid ${process.pid}${threadLabel()} (${process.argv[1] ?? 'no script'}): service.name=${String(resource.attributes['service.name'])}, ` +
      `traces=${config.tracesExporters.join(',') || 'none'}, metrics=${signals.meterProvider === undefined ? 'none' : config.metricsExporters.join(',')}, ` +
      `logs=${config.logsExporters.join(',') || 'none'}${takes === undefined ? '' : ', exported by the main thread'}`,
  );
  return { hooks, shutdown };
}

interface Signals {
  readonly tracerProvider: TracerProvider | undefined;
  readonly meterProvider: SdkMeterProvider | undefined;
  readonly loggerProvider: SdkLoggerProvider | undefined;
  /** Installs what flushes at exit, once the instrumentations are in place. */
  readonly shutdown: () => ShutdownNow;
}

function noRoom(): number {
  return 0;
}

/** This thread's own exporters; the main thread's also take what worker threads hand over. */
function startSignals(config: Config, resource: Resource): Signals {
  const pipelines: Pipeline[] = [];
  const tracing = config.tracesExporters.length > 0 ? startTracing(config, resource) : undefined;
  if (tracing !== undefined) pipelines.push(tracing.pipeline);
  // A signal that is off costs nothing: its SDK is not even loaded.
  const metricsSetup =
    config.metricsExporters.length > 0
      ? (require('./start-metrics.js') as typeof import('./start-metrics.js')).startMetrics(config, resource)
      : undefined;
  if (metricsSetup !== undefined) pipelines.push(metricsSetup.pipeline);
  const logsSetup =
    config.logsExporters.length > 0 ? (require('./start-logs.js') as typeof import('./start-logs.js')).startLogs(config, resource) : undefined;
  if (logsSetup !== undefined) pipelines.push(logsSetup.pipeline);
  // After traces and logs: at exit they hand it their last records first, then it prints.
  if (config.consoleFormat === 'tree') {
    const tree = (require('../export/console/tree/tree-output.js') as typeof import('../export/console/tree/tree-output.js')).startedConsoleTree();
    if (tree !== undefined) pipelines.push((require('./console-tree-pipeline.js') as typeof import('./console-tree-pipeline.js')).consoleTreePipeline(tree));
  }
  return {
    tracerProvider: tracing?.provider,
    meterProvider: metricsSetup?.provider,
    loggerProvider: logsSetup?.provider,
    shutdown: () => {
      // Before the shutdown's own listeners: what workers still had on its way is in the queues when they run.
      (require('../threads/from-worker-threads.js') as typeof import('../threads/from-worker-threads.js')).takeFromWorkerThreads({
        resource,
        span: tracing?.take,
        spanRoom: tracing === undefined ? noRoom : tracing.room,
        logRecord: logsSetup?.take,
        logRoom: logsSetup === undefined ? noRoom : logsSetup.room,
        metrics: metricsSetup === undefined ? undefined : { temporality: metricsSetup.temporality, threads: metricsSetup.provider.takeThreadMetrics() },
      });
      return installShutdown(pipelines, config.otlp.traces.timeoutMs || OTLP_TIMEOUT_MS, config.exitExportTimeoutMs);
    },
  };
}

function startWorkerSignals(config: Config, resource: Resource, takes: MainThreadTakes): Signals {
  const worker = (require('../threads/worker-sdk.js') as typeof import('../threads/worker-sdk.js')).startWorkerSdk(config, resource, takes);
  return { ...worker, shutdown: () => worker.shutdown };
}
