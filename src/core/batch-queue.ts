// Bounded queue in front of an exporter, shared by the span and log-record batch processors.
// Spec semantics: drop (and count) when full; export when a batch fills or the delay passes;
// one export in flight; each export bounded by the export timeout.
// A batch the collector did not take for a reason that may pass (a retryable answer, a refused
// connection, no answer in time: the exporter's own retries ran out) goes back to the head of the
// queue and is exported again after a backoff (core/backoff.ts), oldest first, for as long as the
// outage lasts. The bound counts the batch in flight, so a batch that comes back always has its place:
// only what arrives while the queue is full is dropped. A non-retryable answer (HTTP 400,
// INVALID_ARGUMENT) drops the batch, as does the queue's own export timeout (the exporter may still
// be sending it: keeping it could send it twice).
// An exporter may offer prepare(): queued items are then handed to it in small slices, in a later turn
// of the event loop, and replaced by what it returns (OTLP items encoded ahead). So the queue holds,
// and exports, `T | E`: an item as added, or the exporter's stand-in for it (E, never when nothing is
// prepared). Only the exporter tells them apart (OTLP: instanceof EncodedItem); the queue never needs to.

import { diag, warnOnce } from '../diag/log.js';
import type { BatchConfig, Signal } from '../config/types.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { countDropped } from './dropped-counts.js';
import type { ExportResult, Exporter } from './export-result.js';

/** An exporter that can turn a queued item into a cheaper-to-hold stand-in (E) before the export. */
export interface PreparingExporter<T, E = never> extends Exporter<T | E> {
  /** Never throws; returns the item itself when it has nothing better, and a stand-in as it is. */
  prepare?(item: T | E): T | E;
}

/** Items prepared per turn of the event loop, so no turn pays for a whole batch at once. */
const PREPARE_SLICE = 64;
/**
 * Items waiting before a slice is scheduled: an Immediate per span or two cost more than it saved (with
 * AsyncLocalStorage on, each Immediate is an async resource that gets the store copied onto it).
 */
const PREPARE_AFTER = 32;

export class BatchQueue<T, E = never> {
  readonly #exporter: PreparingExporter<T, E>;
  readonly #config: BatchConfig;
  readonly #what: string;
  readonly #signal: Signal | undefined;
  #queue: (T | E)[] = [];
  #inFlight: readonly (T | E)[] | undefined;
  /** #inFlight's weight (0 when none): counted against maxQueueSize with #queuedWeight. */
  #inFlightSize = 0;
  /** #queue's weight: its length, unless the queue was given a weigh function. */
  #queuedWeight = 0;
  readonly #weigh: ((item: T | E) => number) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  /** The wait before a kept batch is exported again; nothing else is exported meanwhile. */
  #backoff: NodeJS.Timeout | undefined;
  /** Failed exports in a row (sets the backoff); 0 after a success. */
  #failuresInARow = 0;
  /** Failed exports ever, kept or dropped: a flush ends at the first one (see forceFlush). */
  #failedExports = 0;
  readonly #retryKept = (): void => {
    this.#backoff = undefined;
    if (!this.#shutDown) this.#exportNext();
  };
  #waiters: Array<() => void> = [];
  #dropped = 0;
  #shutDown = false;
  /** #queue[0, #prepared) went through exporter.prepare already. */
  #prepared = 0;
  #slice: NodeJS.Immediate | undefined;
  readonly #prepareSlice = (): void => this.#prepareSome();
  readonly #queueFullKey: string;
  readonly #queueFullMessage: string;

  /**
   * `what` names the items in diagnostics ("spans", "log records"); the queue's drops also count as
   * `signal`'s, process-wide (core/dropped-counts.ts), when it is given. `weigh`: what an item counts
   * for, against maxQueueSize and in drop counts (the launcher's queue of requests counts their spans);
   * default 1; maxExportBatchSize then bounds a batch's weight too (at least one item per batch).
   */
  constructor(exporter: PreparingExporter<T, E>, config: BatchConfig, what: string, signal?: Signal, weigh?: (item: T | E) => number) {
    this.#exporter = exporter;
    this.#weigh = weigh;
    this.#config = config;
    this.#what = what;
    this.#signal = signal;
    this.#queueFullKey = `queue-full-${what}`;
    this.#queueFullMessage = `${what} queue is full (${config.maxQueueSize}); dropping ${what} until the exporter catches up`;
  }

  /** What the items are called in diagnostics ("spans", "log records"). */
  get what(): string {
    return this.#what;
  }

  /** OTEL_BSP/BLRP_MAX_EXPORT_BATCH_SIZE: what is taken at exit leaves in requests of at most this many. */
  get maxExportBatchSize(): number {
    return this.#config.maxExportBatchSize;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Items held, queued or in flight: what the bound counts (weighed, when the queue weighs). */
  get size(): number {
    return this.#queuedWeight + this.#inFlightSize;
  }

  hasPending(): boolean {
    return this.#queue.length > 0 || this.#inFlight !== undefined;
  }

  /** O(1); never throws, never does I/O. */
  add(item: T): void {
    this.addWithin(item, this.#config.maxQueueSize);
  }

  /**
   * add() under another bound: a worker thread's last hand-over (src/threads), which its own queue held
   * within its bound and which cannot wait for room, may take this queue up to twice its own.
   */
  addWithin(item: T, bound: number): void {
    if (this.#shutDown) return;
    const weight = this.#weigh === undefined ? 1 : this.#weigh(item);
    if (this.#queuedWeight + this.#inFlightSize + weight > bound) {
      this.#drop(weight);
      // Key and message are built once: with the collector down this runs on every request.
      warnOnce(this.#queueFullKey, this.#queueFullMessage);
      return;
    }
    this.#queue.push(item);
    this.#queuedWeight += weight;
    if (this.#slice === undefined && this.#queue.length - this.#prepared >= PREPARE_AFTER) this.#prepareSoon();
    // A kept batch waits out its backoff, and what came after it waits behind it.
    if (this.#backoff !== undefined) return;
    if (this.#queue.length >= this.#config.maxExportBatchSize) this.#exportSoon();
    else if (this.#timer === undefined && this.#inFlight === undefined) this.#startTimer();
  }

  /**
   * Everything still to be sent, taken out of the queue (used by the synchronous exit path): what is
   * queued, and the export in flight unless its request is on the wire already (exporter.onTheWire):
   * the collector gets that one without us, and sending it again at exit would duplicate it.
   */
  takeAll(): (T | E)[] {
    const inFlight = this.#inFlight !== undefined && this.#exporter.onTheWire?.() !== true ? this.#inFlight : undefined;
    if (this.#inFlight !== undefined && inFlight === undefined) diag.debug(`left ${this.#inFlight.length} ${this.#what} on the wire at exit to the collector`);
    const items = inFlight === undefined ? this.#queue : [...inFlight, ...this.#queue];
    this.#queue = [];
    this.#queuedWeight = 0;
    this.#prepared = 0;
    this.#inFlight = undefined;
    this.#inFlightSize = 0;
    return items;
  }

  #drop(count: number): void {
    this.#dropped += count;
    if (this.#signal !== undefined) countDropped(this.#signal, count);
  }

  #prepareSoon(): void {
    // Unref'd: preparing is only a saving, never a reason to keep the process alive.
    if (this.#exporter.prepare !== undefined) this.#slice = setImmediate(this.#prepareSlice).unref();
  }

  #prepareSome(): void {
    this.#slice = undefined;
    const prepare = this.#exporter.prepare;
    if (prepare === undefined || this.#shutDown) return;
    const queue = this.#queue;
    const end = Math.min(queue.length, this.#prepared + PREPARE_SLICE);
    for (let i = this.#prepared; i < end; i++) queue[i] = prepare.call(this.#exporter, queue[i]!);
    this.#prepared = end;
    if (queue.length - end >= PREPARE_AFTER) this.#prepareSoon();
  }

  /**
   * Exports what is queued now, without waiting out a backoff. Resolves once all of it is exported,
   * an export fails (what it carried stays queued if the failure may pass: the flush does not spin on
   * a collector that is down), or `timeoutMs` passes; never rejects.
   */
  forceFlush(timeoutMs: number): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === undefined) return Promise.resolve();
    const failedBefore = this.#failedExports;
    return new Promise<void>((resolve) => {
      const deadline = setTimeout(finish, timeoutMs);
      let done = false;
      const check = (): void => {
        if ((this.#queue.length === 0 && this.#inFlight === undefined) || this.#failedExports !== failedBefore) finish();
        else this.#waiters.push(check);
      };
      function finish(): void {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        resolve();
      }
      this.#waiters.push(check);
      if (this.#inFlight === undefined) this.#exportNext();
    });
  }

  async shutdown(timeoutMs: number): Promise<void> {
    if (this.#shutDown) return;
    await this.forceFlush(timeoutMs);
    this.#shutDown = true;
    this.#clearTimers();
    if (this.#slice !== undefined) clearImmediate(this.#slice);
    this.#slice = undefined;
    await this.#exporter.shutdown();
  }

  #startTimer(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#exportNext();
    }, this.#config.scheduleDelayMs);
    this.#timer.unref();
  }

  // Encoding a full batch is deferred to its own turn, so span.end() on a request path stays O(1).
  // A zero-delay timer, not setImmediate: an unref'd immediate does not wake a blocked poll phase.
  #exportSoon(): void {
    if (this.#soon !== undefined || this.#inFlight !== undefined) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.#exportNext();
    }, 0);
    this.#soon.unref();
  }

  #clearTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#soon !== undefined) clearTimeout(this.#soon);
    if (this.#backoff !== undefined) clearTimeout(this.#backoff);
    this.#timer = undefined;
    this.#soon = undefined;
    this.#backoff = undefined;
  }

  #exportNext(): void {
    if (this.#inFlight !== undefined) return;
    this.#clearTimers();
    if (this.#queue.length === 0) {
      this.#notify();
      return;
    }
    const take = this.#weigh === undefined ? this.#config.maxExportBatchSize : this.#itemsWithin(this.#config.maxExportBatchSize);
    const batch = this.#queue.length <= take ? this.#queue : this.#queue.slice(0, take);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(batch.length);
    // The batch is held until its export is over: what the slices did not reach is prepared now, so it
    // holds encoded items (bytes off the heap), not spans whose object graphs every scavenge would copy.
    const prepare = this.#exporter.prepare;
    if (prepare !== undefined) for (let i = this.#prepared; i < batch.length; i++) batch[i] = prepare.call(this.#exporter, batch[i]!);
    this.#prepared = Math.max(0, this.#prepared - batch.length);
    const batchWeight = this.#weightOf(batch);
    this.#queuedWeight -= batchWeight;
    this.#inFlight = batch;
    this.#inFlightSize = batchWeight;

    let settled = false;
    const timeoutMs = this.#config.exportTimeoutMs;
    const timeout = timeoutMs > 0 ? setTimeout(() => onDone({ ok: false, retryable: false, error: new Error('export timed out') }), timeoutMs) : undefined;
    timeout?.unref();
    const onDone = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      if (timeout !== undefined) clearTimeout(timeout);
      // Not ours any more when the exit path took everything (takeAll) while it was in flight.
      const ours = this.#inFlight === batch;
      if (ours) {
        this.#inFlight = undefined;
        this.#inFlightSize = 0;
      }
      if (result.ok) {
        this.#failuresInARow = 0;
        diag.debug(`exported ${batch.length} ${this.#what}`);
      } else {
        this.#failedExports++;
        if (result.retryable && ours && !this.#shutDown) this.#keep(batch, batchWeight, result);
        else if (ours) {
          this.#drop(batchWeight);
          diag.debug(`dropped ${batch.length} ${this.#what} after a failed export: ${result.error.message}`);
        }
      }
      this.#notify();
      if (this.#queue.length === 0 || this.#backoff !== undefined) return;
      // A pending flush or a full batch goes at once (here: this callback is the exporter's, never a
      // request path, and one event-loop turn per batch is what a busy app cannot spare); a partial
      // batch waits for the delay.
      if (this.#waiters.length > 0 || this.#queue.length >= this.#config.maxExportBatchSize) this.#exportNext();
      else if (this.#timer === undefined) this.#startTimer();
    };
    try {
      this.#exporter.export(batch, onDone);
    } catch (error) {
      onDone({ ok: false, retryable: false, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** A failed batch back at the head of the queue, exported again after the backoff. */
  #keep(batch: readonly (T | E)[], weight: number, result: ExportResult & { ok: false }): void {
    this.#failuresInARow++;
    this.#queuedWeight += weight;
    // Every item of the batch went through prepare() before the export.
    this.#prepared = this.#exporter.prepare === undefined ? 0 : batch.length + this.#prepared;
    this.#queue = batch.concat(this.#queue);
    const delay = Math.max(backoffDelay(this.#failuresInARow, DEFAULT_BACKOFF), result.retryAfterMs ?? 0);
    this.#clearTimers();
    this.#backoff = setTimeout(this.#retryKept, delay);
    this.#backoff.unref();
    if (diag.isEnabled('debug')) {
      diag.debug(`kept ${batch.length} ${this.#what} after a failed export (${result.error.message}); next try in ${delay} ms, ${this.#queue.length} queued`);
    }
  }

  /** Weighed queues: how many items from the head weigh at most `bound` together (at least one). */
  #itemsWithin(bound: number): number {
    const weigh = this.#weigh!;
    const queue = this.#queue;
    let weight = 0;
    let count = 0;
    while (count < queue.length) {
      const next = weigh(queue[count]!);
      if (count > 0 && weight + next > bound) break;
      weight += next;
      count++;
    }
    return count;
  }

  #weightOf(batch: readonly (T | E)[]): number {
    const weigh = this.#weigh;
    if (weigh === undefined) return batch.length;
    let weight = 0;
    for (const item of batch) weight += weigh(item);
    return weight;
  }

  #notify(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) return;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}
