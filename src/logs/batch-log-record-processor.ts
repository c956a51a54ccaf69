// Emitted log records go to a bounded batch queue (OTEL_BLRP_*) in front of one exporter.

import type { BatchConfig } from '../config/types.js';
import { BatchQueue } from '../core/batch-queue.js';
import type { Exporter } from '../core/export-result.js';
import type { LogRecordListener } from './logger.js';
import type { ReadableLogRecord } from './log-record-data.js';

export class BatchLogRecordProcessor implements LogRecordListener {
  readonly queue: BatchQueue<ReadableLogRecord>;

  constructor(exporter: Exporter<ReadableLogRecord>, config: BatchConfig) {
    this.queue = new BatchQueue(exporter, config, 'log records');
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
