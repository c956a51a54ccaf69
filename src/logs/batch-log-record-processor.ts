// Emitted log records go to a bounded batch queue (OTEL_BLRP_*) in front of one exporter.

import type { BatchConfig } from '../config/types.js';
import { BatchQueue, type PreparingExporter } from '../core/batch-queue.js';
import type { LogRecordListener } from './logger.js';
import type { ReadableLogRecord } from './log-record-data.js';

/** E: what the exporter's prepare() makes of a queued item (core/batch-queue.ts); never when it has none. */
export class BatchLogRecordProcessor<E = never> implements LogRecordListener {
  readonly queue: BatchQueue<ReadableLogRecord, E>;

  constructor(exporter: PreparingExporter<ReadableLogRecord, E>, config: BatchConfig) {
    this.queue = new BatchQueue(exporter, config, 'log records', 'logs');
  }

  onEmit(record: ReadableLogRecord): void {
    this.queue.add(record);
  }

  forceFlush(timeoutMs: number): Promise<void> {
    return this.queue.forceFlush(timeoutMs);
  }

  shutdown(timeoutMs: number): Promise<void> {
    return this.queue.shutdown(timeoutMs);
  }
}

/** Fans emits out to several processors (e.g. otlp and console exporters together). */
export function multiLogListener(listeners: readonly LogRecordListener[]): LogRecordListener {
  if (listeners.length === 1) return listeners[0]!;
  return {
    onEmit(record: ReadableLogRecord): void {
      for (const listener of listeners) listener.onEmit(record);
    },
  };
}
