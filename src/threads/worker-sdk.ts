// The SDK of a worker thread whose main thread takes its telemetry (thread-messages.ts): the same
// providers, samplers, limits and batch queues as anywhere, with the main thread as their only exporter.
// Batches go there when a queue fills or its delay passes, metrics at each export interval, and
// what is left when the thread ends (its process 'exit'): a thread stopped by worker.terminate() runs
// no more JavaScript, so what it had not yet handed over is lost with it, as with a killed process.
// Nothing here keeps the thread alive: the queues' and the reader's timers are unref'd and no channel
// stays open (to-main-thread.ts).

import type { Config } from '../config/types.js';
import type { Resource } from '../core/types.js';
import { diag } from '../diag/log.js';
import { BatchLogRecordProcessor } from '../logs/batch-log-record-processor.js';
import { SdkLoggerProvider } from '../logs/logger-provider.js';
import { hasPoints, SdkMeterProvider } from '../metrics/meter-provider.js';
import { PeriodicExportingMetricReader } from '../metrics/periodic-reader.js';
import { BatchSpanProcessor } from '../trace/batch-span-processor.js';
import { createSampler } from '../trace/samplers.js';
import { SdkTracerProvider } from '../trace/tracer-provider.js';
import type { MainThreadTakes } from './thread-messages.js';
import { logsToMainThread, metricsToMainThread, postLogsToMainThread, postMetricsToMainThread, postSpansToMainThread, spansToMainThread } from './to-main-thread.js';

export interface WorkerSdk {
  readonly tracerProvider: SdkTracerProvider | undefined;
  readonly meterProvider: SdkMeterProvider | undefined;
  readonly loggerProvider: SdkLoggerProvider | undefined;
  /** Hands everything pending to the main thread and stops (the app's shutdown(), or the thread's end). */
  readonly shutdown: () => Promise<void>;
}

export function startWorkerSdk(config: Config, resource: Resource, takes: MainThreadTakes): WorkerSdk {
  const spanExporter = spansToMainThread(takes.room);
  let spans: BatchSpanProcessor | undefined;
  let tracerProvider: SdkTracerProvider | undefined;
  if (takes.traces && config.tracesExporters.length > 0) {
    const processor = new BatchSpanProcessor<never>(spanExporter, config.bsp);
    spans = processor;
    tracerProvider = new SdkTracerProvider({
      sampler: createSampler(config.sampler, config.samplerRatio),
      limits: config.spanLimits,
      resource,
      listener: processor,
    });
  }

  const logExporter = logsToMainThread(takes.room);
  let logs: BatchLogRecordProcessor | undefined;
  let loggerProvider: SdkLoggerProvider | undefined;
  if (takes.logs && config.logsExporters.length > 0) {
    const processor = new BatchLogRecordProcessor<never>(logExporter, config.blrp);
    logs = processor;
    loggerProvider = new SdkLoggerProvider({ resource, limits: config.logRecordLimits, listener: processor });
  }

  let meterProvider: SdkMeterProvider | undefined;
  let reader: PeriodicExportingMetricReader | undefined;
  if (takes.metrics !== undefined && config.metricsExporters.length > 0) {
    // The main thread's temporality (a Prometheus endpoint there makes it cumulative), so that what it
    // merges is of the same kind as its own.
    meterProvider = new SdkMeterProvider({ resource, temporalityPreference: takes.metrics, exemplarFilter: config.metricsExemplarFilter });
    reader = new PeriodicExportingMetricReader(meterProvider, metricsToMainThread(), {
      intervalMs: config.metricExportIntervalMs,
      timeoutMs: config.metricExportTimeoutMs,
    });
  }

  let ended = false;
  const handOverTheRest = (): void => {
    if (ended) return;
    ended = true;
    try {
      // All of it, room or not (the main thread's queue takes a last hand-over up to twice its bound,
      // and drops and counts what does not fit): the thread runs no more JavaScript after this. The
      // exporters hand over synchronously: nothing is in flight.
      const restOfSpans = spans?.queue.takeAll() ?? [];
      if (restOfSpans.length > 0) postSpansToMainThread(restOfSpans, true);
      const restOfLogs = logs?.queue.takeAll() ?? [];
      if (restOfLogs.length > 0) postLogsToMainThread(restOfLogs, true);
      if (meterProvider !== undefined) {
        const last = meterProvider.collectSync();
        meterProvider.stop();
        postMetricsToMainThread(hasPoints(last) ? last : { resource, scopeMetrics: [] }, true);
      }
    } catch (error) {
      diag.debug(`handing the rest to the main thread failed: ${String(error)}`);
    }
  };
  process.on('exit', handOverTheRest);

  return {
    tracerProvider,
    meterProvider,
    loggerProvider,
    shutdown: async () => {
      await Promise.all([spans?.forceFlush(config.bsp.exportTimeoutMs), logs?.forceFlush(config.blrp.exportTimeoutMs), reader?.forceFlush(config.metricExportTimeoutMs)]);
      handOverTheRest();
    },
  };
}
