// Main-thread side of thread-messages.ts: takes what worker threads hand over into this thread's
// queues and metric collections, with this thread's resource. The channel is unref'd (it never keeps
// the process alive) and its handler never throws. What is still on its way when the event loop ends
// is read synchronously then, before the exit path exports ('beforeExit' and 'exit' listeners added
// ahead of the shutdown's, src/exit/app-shutdown.ts).

import { BroadcastChannel, isMainThread, receiveMessageOnPort, setEnvironmentData, type MessagePort } from 'node:worker_threads';
import type { Resource } from '../core/types.js';
import { diag } from '../diag/log.js';
import type { ReadableLogRecord } from '../logs/log-record-data.js';
import type { TemporalityPreference } from '../metrics/instruments.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';
import type { ReadableSpan } from '../trace/span-data.js';
import {
  MAIN_THREAD_TAKES,
  ROOM_LOGS,
  ROOM_SPANS,
  THREAD_CHANNEL,
  THREAD_MESSAGE_VERSION,
  type MainThreadTakes,
  type ThreadMessage,
} from './thread-messages.js';

const ROOM_INTERVAL_MS = 50;

export interface ThreadTelemetrySinks {
  readonly resource: Resource;
  /** Adds a finished, sampled span to every span queue; `last`: of a thread's last hand-over. */
  readonly span: ((span: ReadableSpan, last: boolean) => void) | undefined;
  /** How many spans the span queues have room for. */
  readonly spanRoom: () => number;
  readonly logRecord: ((record: ReadableLogRecord, last: boolean) => void) | undefined;
  readonly logRoom: () => number;
  readonly metrics: { readonly temporality: TemporalityPreference; readonly threads: ThreadMetrics } | undefined;
}

export function takeFromWorkerThreads(sinks: ThreadTelemetrySinks): void {
  if (!isMainThread || (sinks.span === undefined && sinks.logRecord === undefined && sinks.metrics === undefined)) return;
  const channel = new BroadcastChannel(THREAD_CHANNEL);
  channel.unref();
  const room = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const publishRoom = (): void => {
    Atomics.store(room, ROOM_SPANS, sinks.spanRoom());
    Atomics.store(room, ROOM_LOGS, sinks.logRoom());
  };
  publishRoom();
  // Exports free room without telling us: published again every ROOM_INTERVAL_MS, from the first
  // message on (an app without workers has no such timer), unref'd.
  let timer: NodeJS.Timeout | undefined;
  const take = (message: unknown): void => {
    try {
      takeMessage(message as ThreadMessage, sinks);
      publishRoom();
      timer ??= setInterval(publishRoom, ROOM_INTERVAL_MS).unref();
    } catch (error) {
      diag.debug(`telemetry from a worker thread could not be taken: ${String(error)}`);
    }
  };
  channel.onmessage = (event) => take(event.data);
  // receiveMessageOnPort reads a BroadcastChannel too (Node >= 15.12); @types/node names only MessagePort.
  const port = channel as unknown as MessagePort;
  const drain = (): void => {
    for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) take(next.message);
  };
  process.on('beforeExit', drain);
  process.on('exit', drain);
  const takes: MainThreadTakes = {
    version: THREAD_MESSAGE_VERSION,
    traces: sinks.span !== undefined,
    logs: sinks.logRecord !== undefined,
    metrics: sinks.metrics?.temporality,
    room,
  };
  // Inherited by each Worker created from now on (and by the workers they create).
  setEnvironmentData(MAIN_THREAD_TAKES, takes);
}

function takeMessage(message: ThreadMessage, sinks: ThreadTelemetrySinks): void {
  if (message === null || typeof message !== 'object' || message.version !== THREAD_MESSAGE_VERSION) return;
  const resource = sinks.resource;
  if (message.kind === 'spans' && sinks.span !== undefined) {
    for (const span of message.items) sinks.span({ ...span, resource }, message.final);
  } else if (message.kind === 'logs' && sinks.logRecord !== undefined) {
    for (const record of message.items) sinks.logRecord({ ...record, resource }, message.final);
  } else if (message.kind === 'metrics' && sinks.metrics !== undefined) {
    sinks.metrics.threads.add(message.thread, message.scopeMetrics, message.final);
  }
}
