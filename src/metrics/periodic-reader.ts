// Collects every metricExportIntervalMs and exports one ResourceMetrics at a time, each export
// bounded by metricExportTimeoutMs. The timer is unref'd so it never keeps the process alive.

import { diag, warnOnce } from '../diag/log.js';
import { runSuppressed } from '../context/suppress.js';
import { countDropped } from '../core/dropped-counts.js';
import type { ExportResult, Exporter } from '../core/export-result.js';
import { hasPoints, type SdkMeterProvider } from './meter-provider.js';
import type { ResourceMetrics } from './metric-data.js';

export interface PeriodicReaderOptions {
  /** Config.metricExportIntervalMs */
  readonly intervalMs: number;
  /** Config.metricExportTimeoutMs; 0 = no limit. */
  readonly timeoutMs: number;
}


function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  if (!(ms > 0) || ms === Infinity) return work;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export function pointCount(rm: ResourceMetrics): number {
  let count = 0;
  for (const scope of rm.scopeMetrics) for (const metric of scope.metrics) count += metric.points.length;
  return count;
}

export class PeriodicExportingMetricReader {
  readonly #provider: SdkMeterProvider;
  readonly #exporter: Exporter<ResourceMetrics>;
  readonly #timeoutMs: number;
  readonly #timer: NodeJS.Timeout;
  #inFlight: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(provider: SdkMeterProvider, exporter: Exporter<ResourceMetrics>, options: PeriodicReaderOptions) {
    this.#provider = provider;
    this.#exporter = exporter;
    this.#timeoutMs = options.timeoutMs;
    // setInterval treats delays above 2^31-1 ms as 1 ms; clamp instead.
    const interval = Math.min(Math.max(1, options.intervalMs), 0x7fffffff);
    this.#timer = setInterval(() => this.#tick(), interval);
    this.#timer.unref();
  }

  /** Periodic exports that failed, their data dropped (for the debug summary at exit). */
  failedExports = 0;

  /** Measurements recorded but not yet exported, or an export in flight. */
  hasPending(): boolean {
    return this.#inFlight !== undefined || this.#provider.hasPending();
  }

  /** Waits for the export in flight, then collects and exports now. */
  forceFlush(timeoutMs: number): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    return withTimeout(this.#flush(), timeoutMs);
  }

  /** Final collect + export, then the exporter's shutdown; idempotent. */
  shutdown(timeoutMs: number): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    clearInterval(this.#timer);
    const work = this.#flush()
      .finally(() => this.#provider.stop())
      .then(() => this.#exporter.shutdown());
    this.#shutdown = withTimeout(work, timeoutMs);
    return this.#shutdown;
  }

  /**
   * For process 'exit' / fatal signals: a synchronous collection (undefined when nothing to send),
   * to be encoded and sent synchronously by the bootstrap.
   */
  collectForExit(): ResourceMetrics | undefined {
    // Only measurements the app recorded are worth a synchronous send on the way out (it costs a
    // process spawn): observable values, such as the runtime metrics, are read again by any collection.
    if (!this.#provider.hasRecorded()) return undefined;
    const rm = this.#provider.collectSync();
    return hasPoints(rm) ? rm : undefined;
  }

  #tick(): void {
    if (this.#inFlight !== undefined || this.#shutdown !== undefined) return;
    this.#start();
  }

  async #flush(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    await this.#start();
  }

  #start(): Promise<void> {
    const run = this.#collectAndExport().finally(() => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    });
    this.#inFlight = run;
    return run;
  }

  async #collectAndExport(): Promise<void> {
    let rm: ResourceMetrics;
    try {
      rm = await this.#provider.collect(this.#timeoutMs);
    } catch (err) {
      warnOnce('metrics.collect-failed', `metrics: collection failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!hasPoints(rm)) return;
    const result = await this.#export(rm);
    // The exporter already says once per outage or rejection why exports fail; per-export detail is debug.
    if (!result.ok) {
      this.failedExports++;
      countDropped('metrics', pointCount(rm));
      diag.debug(`metrics: export failed (${result.error.message}); data for this period is dropped`);
    }
  }

  #export(rm: ResourceMetrics): Promise<ExportResult> {
    return new Promise<ExportResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const done = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        resolve(result);
      };
      if (this.#timeoutMs > 0) {
        timer = setTimeout(() => done({ ok: false, retryable: false, error: new Error(`timed out after ${this.#timeoutMs} ms`) }), this.#timeoutMs);
        timer.unref();
      }
      try {
        runSuppressed(() => this.#exporter.export([rm], done));
      } catch (err) {
        done({ ok: false, retryable: false, error: err instanceof Error ? err : new Error(String(err)) });
      }
    });
  }
}
