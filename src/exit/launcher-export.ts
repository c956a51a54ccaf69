// The launcher as its app's exporter (OTEL_NODE_EXPORT_VIA_LAUNCHER; the app side is app-live-handoff.ts):
// each request the app hands over while it runs goes into a batch queue of this process, one queue per
// signal and collector, and is sent by the exporter the app itself would use (createOtlpRequestExporter):
// the same transport, retries and backoff, failed requests kept oldest first while the queue has room,
// outage warnings and the info line when an outage ends, partial-success warnings, 413 halves. The queue
// counts what the app's queue counts (spans, log records; metric data points), so its bound is the app's
// OTEL_BSP/BLRP_MAX_QUEUE_SIZE and its drops are counted as the app's would be.
// After the app has ended, what is still queued is sent within the exit bound (OTEL_NODE_EXIT_EXPORT_TIMEOUT).

import type { BatchConfig, Config, OtlpSignalConfig, Signal } from '../config/types.js';
import { BatchQueue } from '../core/batch-queue.js';
import { diag } from '../diag/log.js';
import type { EncodedRequest } from '../export/otlp/exporter/request-halves.js';
import { ITEM_NOUN } from '../export/otlp/exporter/item-noun.js';
import type { ExitSendHeader } from './exit-sends.js';

/** Metrics have no batch queue in the app (a failed collection is dropped there): this bounds them here. */
const METRIC_POINTS_BOUND = 65_536;
/** While the exit bound lasts, how long to wait before trying a queue that failed again. */
const EXIT_RETRY_MS = 100;

interface Lane {
  readonly signal: Signal;
  readonly config: OtlpSignalConfig;
  readonly queue: BatchQueue<EncodedRequest>;
}

const weighRequest = (request: EncodedRequest): number => request.items;

export class LauncherExport {
  readonly #env: NodeJS.ProcessEnv;
  readonly #lanes = new Map<string, Lane>();
  #config: Config | undefined;

  /** `env`: the app's environment (flags included), for its queue settings. */
  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  get idle(): boolean {
    for (const { queue } of this.#lanes.values()) if (queue.hasPending()) return false;
    return true;
  }

  /** One request the app handed over; queued and sent as the app's exporter would. Never throws. */
  add(header: ExitSendHeader, body: Uint8Array): void {
    try {
      this.#lane(header.signal, header.config).queue.add({ body, items: header.live?.items ?? 1 });
    } catch (error) {
      diag.debug(`launcher: could not queue the app's ${header.signal}: ${String(error)}`);
    }
  }

  #lane(signal: Signal, config: OtlpSignalConfig): Lane {
    const key = `${signal} ${JSON.stringify(config)}`;
    let lane = this.#lanes.get(key);
    if (lane !== undefined) return lane;
    const { createOtlpRequestExporter } = require('../export/otlp/otlp-exporter.js') as typeof import('../export/otlp/otlp-exporter.js');
    const queue = new BatchQueue<EncodedRequest>(createOtlpRequestExporter(signal, config), this.#batchConfig(signal), ITEM_NOUN[signal], signal, weighRequest);
    lane = { signal, config, queue };
    this.#lanes.set(key, lane);
    return lane;
  }

  /**
   * The app's queue bound, batch size and export timeout, in items: the app's small requests (it hands
   * over whatever its schedule delay gathered) go out joined, as the app's own queue would have sent them.
   */
  #batchConfig(signal: Signal): BatchConfig {
    if (this.#config === undefined) {
      const { loadConfig } = require('../config/load-config.js') as typeof import('../config/load-config.js');
      this.#config = loadConfig(this.#env);
    }
    const config = this.#config;
    if (signal === 'metrics') return { scheduleDelayMs: 0, exportTimeoutMs: config.metricExportTimeoutMs, maxQueueSize: METRIC_POINTS_BOUND, maxExportBatchSize: 1 };
    const app = signal === 'traces' ? config.bsp : config.blrp;
    return { scheduleDelayMs: 0, exportTimeoutMs: app.exportTimeoutMs, maxQueueSize: app.maxQueueSize, maxExportBatchSize: app.maxExportBatchSize };
  }

  /** The configs of the queues, for the exit bound (exitDeadlineMs). */
  configs(): { readonly signal: Signal; readonly config: OtlpSignalConfig }[] {
    return [...this.#lanes.values()];
  }

  /**
   * After the app's end: sends what is queued until every queue is empty or `deadlineMs` (absolute) has
   * passed; resolves with whether everything was delivered. A queue that failed is tried again after a
   * short pause, as long as the bound lasts. Never rejects.
   */
  async flush(deadlineMs: number): Promise<boolean> {
    for (;;) {
      const left = deadlineMs - Date.now();
      if (this.idle) return true;
      if (left <= 0) break;
      await Promise.all([...this.#lanes.values()].map(({ queue }) => queue.forceFlush(left)));
      if (this.idle) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(EXIT_RETRY_MS, Math.max(0, deadlineMs - Date.now()))));
    }
    for (const { signal, queue } of this.#lanes.values()) {
      if (queue.size > 0) diag.debug(`launcher: ${queue.size} ${ITEM_NOUN[signal]} the app handed over could not be delivered within the exit bound; dropped`);
    }
    return false;
  }
}
