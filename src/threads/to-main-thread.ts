// Worker side of thread-messages.ts: what a worker's SDK hands to the main thread's, and how.

import { BroadcastChannel, getEnvironmentData, isMainThread, threadId } from 'node:worker_threads';
import type { Attributes } from '../core/types.js';
import { EXPORT_OK, type ExportResult, type Exporter } from '../core/export-result.js';
import { diag } from '../diag/log.js';
import type { LogAttributes, ReadableLogRecord } from '../logs/log-record-data.js';
import type { ResourceMetrics } from '../metrics/metric-data.js';
import type { ReadableSpan } from '../trace/span-data.js';
import {
  MAIN_THREAD_TAKES,
  ROOM_LOGS,
  ROOM_SPANS,
  THREAD_CHANNEL,
  THREAD_MESSAGE_VERSION,
  type ForwardedLogRecord,
  type ForwardedSpan,
  type MainThreadTakes,
  type ThreadMessage,
} from './thread-messages.js';

/** What the main thread's SDK takes from this worker thread; undefined in the main thread, or when it takes nothing. */
export function mainThreadTakes(): MainThreadTakes | undefined {
  if (isMainThread) return undefined;
  const takes = getEnvironmentData(MAIN_THREAD_TAKES) as MainThreadTakes | undefined;
  return takes !== undefined && takes.version === THREAD_MESSAGE_VERSION ? takes : undefined;
}

/**
 * A channel of its own for each message, closed at once: the message is in the main thread's queue when
 * postMessage returns, nothing is left open to keep this thread alive, and this thread never receives
 * (and so never holds) what other workers send.
 */
export function postToMainThread(message: ThreadMessage): void {
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(THREAD_CHANNEL);
    channel.postMessage(message);
  } catch (error) {
    diag.debug(`could not hand ${message.kind} to the main thread: ${String(error)}`);
  } finally {
    channel?.close();
  }
}

/** thread.id and, where Node names threads (22+: the Worker's `name` option), thread.name. */
function threadAttributes(): Attributes {
  const attributes: Attributes = { 'thread.id': threadId };
  const name = (require('node:worker_threads') as { threadName?: unknown }).threadName;
  if (typeof name === 'string' && name !== '') attributes['thread.name'] = name;
  return attributes;
}

const THREAD_ATTRIBUTES = threadAttributes();

/** The span as data (a clone of an SdkSpan would carry its class's getters, not its fields), with the thread's attributes; the app's own win. */
function forwardedSpan(span: ReadableSpan): ForwardedSpan {
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    traceFlags: span.traceFlags,
    traceState: span.traceState,
    parentSpanId: span.parentSpanId,
    parentIsRemote: span.parentIsRemote,
    startTime: span.startTime,
    endTime: span.endTime,
    attributes: { ...THREAD_ATTRIBUTES, ...span.attributes },
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    links: span.links,
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    scope: span.scope,
  };
}

function forwardedLogRecord(record: ReadableLogRecord): ForwardedLogRecord {
  const { resource: _resource, ...rest } = record;
  return { ...rest, attributes: { ...(THREAD_ATTRIBUTES as LogAttributes), ...record.attributes } };
}

/** The main thread's queue has no room for the batch now: the worker's queue keeps it and tries again after a backoff. */
const NO_ROOM: ExportResult = Object.freeze({ ok: false as const, retryable: true, error: new Error("the main thread's queue is full") });

/** Takes room for `count` items from the main thread's count (it publishes the true figure again soon); false when there is none. */
function takeRoom(room: Int32Array, index: number, count: number): boolean {
  if (Atomics.load(room, index) < count) return false;
  Atomics.sub(room, index, count);
  return true;
}

/** `final`: the thread's last hand-over, room or not. */
export function postSpansToMainThread(batch: readonly ReadableSpan[], final: boolean): void {
  postToMainThread({ version: THREAD_MESSAGE_VERSION, kind: 'spans', thread: threadId, final, items: batch.map(forwardedSpan) });
}

export function postLogsToMainThread(batch: readonly ReadableLogRecord[], final: boolean): void {
  postToMainThread({ version: THREAD_MESSAGE_VERSION, kind: 'logs', thread: threadId, final, items: batch.map(forwardedLogRecord) });
}

/** The exporter of a worker's span batch queue: the batch goes to the main thread's queue, synchronously, when it fits. */
export function spansToMainThread(room: Int32Array): Exporter<ReadableSpan> {
  return {
    export(batch, done) {
      if (!takeRoom(room, ROOM_SPANS, batch.length)) return done(NO_ROOM);
      postSpansToMainThread(batch, false);
      done(EXPORT_OK);
    },
    shutdown: () => Promise.resolve(),
  };
}

export function logsToMainThread(room: Int32Array): Exporter<ReadableLogRecord> {
  return {
    export(batch, done) {
      if (!takeRoom(room, ROOM_LOGS, batch.length)) return done(NO_ROOM);
      postLogsToMainThread(batch, false);
      done(EXPORT_OK);
    },
    shutdown: () => Promise.resolve(),
  };
}

export function postMetricsToMainThread(collection: ResourceMetrics, final: boolean): void {
  postToMainThread({ version: THREAD_MESSAGE_VERSION, kind: 'metrics', thread: threadId, final, scopeMetrics: collection.scopeMetrics });
}

/** The exporter of a worker's periodic metric reader. */
export function metricsToMainThread(): Exporter<ResourceMetrics> {
  return {
    export(batch, done) {
      for (const collection of batch) postMetricsToMainThread(collection, false);
      done(EXPORT_OK);
    },
    shutdown: () => Promise.resolve(),
  };
}
