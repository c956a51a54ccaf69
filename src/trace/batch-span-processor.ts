// Sampled spans go to the batch queue when they end; everything else is dropped here.

import type { BatchConfig } from '../config/types.js';
import { BatchQueue } from '../core/batch-queue.js';
import type { Exporter } from '../core/export-result.js';
import type { ReadableSpan } from './span-data.js';
import type { SdkSpan, SpanEndListener } from './span.js';

export class BatchSpanProcessor implements SpanEndListener {
  readonly queue: BatchQueue<ReadableSpan>;

  constructor(exporter: Exporter<ReadableSpan>, config: BatchConfig) {
    this.queue = new BatchQueue(exporter, config, 'spans');
  }

  onEnd(span: SdkSpan): void {
    if ((span.traceFlags & 1) === 1) this.queue.add(span);
  }

  forceFlush(timeoutMs: number): Promise<void> {
    return this.queue.forceFlush(timeoutMs);
  }

  shutdown(timeoutMs: number): Promise<void> {
    return this.queue.shutdown(timeoutMs);
  }
}

/** Fans span ends out to several processors (e.g. otlp and console exporters together). */
export function multiListener(listeners: readonly SpanEndListener[]): SpanEndListener {
  if (listeners.length === 1) return listeners[0]!;
  return {
    onEnd(span: SdkSpan): void {
      for (const listener of listeners) listener.onEnd(span);
    },
  };
}
