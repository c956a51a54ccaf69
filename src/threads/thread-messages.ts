// Worker threads hand their telemetry to the main thread's SDK, which exports it with its own: one
// resource and one service.instance.id per process, one exporter and one set of connections, one set of
// metric streams (worker measurements are merged into the main thread's, src/metrics/thread-metrics.ts),
// and the process-wide runtime metrics recorded once, by the main thread.
// The way there is a BroadcastChannel, the one channel every thread of a process can reach without the
// app's help (a MessagePort would have to be handed to each Worker by patching its constructor). The main
// thread says it listens through worker_threads environment data, which each new Worker inherits from the
// thread that creates it (nested workers included); a worker that finds none exports itself, as before.
// Each thread started by a Worker also has thread.id (worker_threads.threadId) and, where Node has one,
// thread.name on its spans and log records (semantic-conventions docs/general/attributes.md, "General
// thread attributes", Development in v1.44: followed as of that version).

import type { InstrumentationScope } from '../core/types.js';
import type { TemporalityPreference } from '../metrics/instruments.js';
import type { ReadableLogRecord } from '../logs/log-record-data.js';
import type { ScopeMetrics } from '../metrics/metric-data.js';
import type { ReadableSpan } from '../trace/span-data.js';

export const THREAD_CHANNEL = 'otel-instrument.thread-telemetry';
/** worker_threads environment data key: set by the main thread's SDK, to what it takes from workers. */
export const MAIN_THREAD_TAKES = 'otel-instrument.main-thread-takes';
/** Bumped when a message's shape changes: two copies of this package in one process ignore each other. */
export const THREAD_MESSAGE_VERSION = 1;

export interface MainThreadTakes {
  readonly version: number;
  readonly traces: boolean;
  /** The temporality preference its metrics use (undefined: it takes no metrics). */
  readonly metrics: TemporalityPreference | undefined;
  readonly logs: boolean;
  /**
   * Shared memory: how many spans ([ROOM_SPANS]) and log records ([ROOM_LOGS]) its queues have room
   * for. A worker hands a batch over only when it fits and keeps it queued (its own bound) otherwise,
   * so workers' bursts wait in their own queues rather than overflow the main thread's.
   */
  readonly room: Int32Array;
}

export const ROOM_SPANS = 0;
export const ROOM_LOGS = 1;

/** Items without their resource: the main thread's takes its place. */
export type ForwardedSpan = Omit<ReadableSpan, 'resource'>;
export type ForwardedLogRecord = Omit<ReadableLogRecord, 'resource'>;

export type ThreadMessage =
  | { readonly version: number; readonly kind: 'spans'; readonly thread: number; readonly final: boolean; readonly items: readonly ForwardedSpan[] }
  | { readonly version: number; readonly kind: 'logs'; readonly thread: number; readonly final: boolean; readonly items: readonly ForwardedLogRecord[] }
  | {
      readonly version: number;
      readonly kind: 'metrics';
      readonly thread: number;
      /** The thread's last collection: it ends, and what it reported as cumulative stays as it is. */
      readonly final: boolean;
      readonly scopeMetrics: readonly ScopeMetrics[];
    };

export function scopeKey(scope: InstrumentationScope): string {
  return `${scope.name}@${scope.version ?? ''}@${scope.schemaUrl ?? ''}`;
}
