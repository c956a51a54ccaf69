// Sampled spans go to the batch queue when they end; everything else is dropped here.

import type { BatchConfig } from '../config/types.js';
import { BatchQueue, type PreparingExporter } from '../core/batch-queue.js';
import type { ReadableSpan } from './span-data.js';
import type { SdkSpan, SpanEndListener } from './span.js';

/** E: what the exporter's prepare() makes of a queued item (core/batch-queue.ts); never when it has none. */
export class BatchSpanProcessor<E = never> implements SpanEndListener {
  readonly queue: BatchQueue<ReadableSpan, E>;

  constructor(exporter: PreparingExporter<ReadableSpan, E>, config: BatchConfig) {
    this.queue = new BatchQueue(exporter, config, 'spans', 'traces');
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
