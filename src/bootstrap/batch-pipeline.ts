// Traces and logs have the same shape: one batch queue per exporter named in OTEL_*_EXPORTER,
// OTLP modules loaded on first use, and a last-chance export of what the queues hold at exit.

import type { OtlpSignalConfig } from '../config/types.js';
import type { BatchQueue, PreparingExporter } from '../core/batch-queue.js';
import type { Exporter } from '../core/export-result.js';
import { lazyExporter } from '../export/lazy-exporter.js';
import type { ExitSend } from '../exit/exit-sends.js';
import type { Pipeline } from '../exit/app-pipeline.js';

/** E: what the exporter's prepare() makes of a queued item (EncodedItem for OTLP protobuf); never for console. */
export interface BatchBranch<T, E = never> {
  readonly exporter: PreparingExporter<T, E>;
  /** Last-chance export of what the queue still holds: written now, or added to `sends`. */
  readonly exportAtExit: (items: (T | E)[], sends: ExitSend[]) => void;
}

/** Console exporters write to stdout synchronously (pipes and files on POSIX), so exit just exports. */
export function consoleBranch<T>(exporter: Exporter<T>): BatchBranch<T> {
  return { exporter, exportAtExit: (items) => exporter.export(items, () => undefined) };
}

/** Encodes one item for the queue to hold instead (never throws), and frees what a finished export carried. */
export interface EncodeAhead<T, E> {
  encode(item: T | E): T | E;
  release(batch: readonly (T | E)[]): void;
}

/**
 * An OTLP branch: `load` builds the exporter on first export (src/export/otlp is not loaded at
 * startup); `encode` turns items into one request body for the exit-time sender; `loadEncodeAhead`
 * gives the protobuf encoder of one item, for items waiting in the queue.
 */
export function otlpBranch<T, E>(
  signal: 'traces' | 'logs',
  cfg: OtlpSignalConfig,
  load: () => Exporter<T | E>,
  encode: (items: (T | E)[], json: boolean) => Uint8Array,
  loadEncodeAhead: () => EncodeAhead<T, E>,
): BatchBranch<T, E> {
  const exporter = lazyExporter(load);
  return {
    exporter: cfg.protocol === 'http/json' ? exporter : encodingAhead(loadEncodeAhead, exporter),
    exportAtExit: (items, sends) => sends.push({ signal, config: cfg, body: encode(items, cfg.protocol === 'http/json') }),
  };
}

/**
 * Lets the batch queue encode items to protobuf while they wait (encode-protobuf/envelope.ts,
 * EncodedItem); the protobuf encoders copy such items as they are, so requests keep the same bytes.
 * Only from the first export on, which is when the OTLP modules load anyway. A batch's bytes are freed
 * when the exporter calls back, never earlier: until then it may still encode them (halves after a 413).
 * Not even then when the failure is retryable: the queue keeps the batch, bytes and all, for its retry.
 */
function encodingAhead<T, E>(loadEncodeAhead: () => EncodeAhead<T, E>, exporter: Exporter<T | E>): PreparingExporter<T, E> {
  let ahead: EncodeAhead<T, E> | undefined;
  return {
    export(batch, done) {
      ahead ??= loadEncodeAhead();
      const release = ahead.release;
      exporter.export(batch, (result) => {
        if (result.ok || !result.retryable) release(batch);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    onTheWire: () => exporter.onTheWire?.() === true,
    prepare: (item) => (ahead === undefined ? item : ahead.encode(item)),
  };
}

/** One branch and its queue, as the pipeline sees them: what the queue holds no longer matters. */
export interface QueuedBranch {
  readonly queue: Pick<BatchQueue<unknown>, 'what' | 'dropped' | 'hasPending' | 'forceFlush' | 'shutdown' | 'maxExportBatchSize'>;
  /** Takes what the queue holds and exports it with the branch's exportAtExit. */
  exportAtExit(sends: ExitSend[]): void;
}

export function queuedBranch<T, E>(branch: BatchBranch<T, E>, queue: BatchQueue<T, E>): QueuedBranch {
  return {
    queue,
    exportAtExit: (sends) => {
      const items = queue.takeAll();
      // In batches of the configured size, as the queue itself exports.
      const size = Math.max(1, queue.maxExportBatchSize);
      for (let i = 0; i < items.length; i += size) branch.exportAtExit(items.slice(i, i + size), sends);
    },
  };
}

export function batchPipeline(name: string, branches: readonly QueuedBranch[]): Pipeline {
  return {
    name,
    hasPending: () => branches.some(({ queue }) => queue.hasPending()),
    forceFlush: async (timeoutMs) => {
      await Promise.all(branches.map(({ queue }) => queue.forceFlush(timeoutMs)));
    },
    shutdown: async (timeoutMs) => {
      await Promise.all(branches.map(({ queue }) => queue.shutdown(timeoutMs)));
    },
    dropped: () => {
      let count = 0;
      for (const { queue } of branches) count += queue.dropped;
      return count === 0 ? undefined : `${count} ${branches[0]!.queue.what}`;
    },
    exportAtExit: (sends) => {
      for (const branch of branches) branch.exportAtExit(sends);
    },
  };
}

/** What the fullest of `queues` can still take under `bound` (worker threads hand over only what fits). */
export function roomLeft(queues: readonly Pick<BatchQueue<unknown>, 'size'>[], bound: number): number {
  let used = 0;
  for (const queue of queues) used = Math.max(used, queue.size);
  return Math.max(0, bound - used);
}
