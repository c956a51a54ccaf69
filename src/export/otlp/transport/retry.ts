// Retries retryable failures within one export with exponential backoff and jitter (src/core/backoff.ts):
// at most 5 retries, never past the deadline. What is still failing then goes back to the batch queue.

import type { ExportResult } from '../../../core/export-result.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../../../core/backoff.js';
import { isLeaving, onLeaving } from '../../leaving.js';
import { codedError, type Transport } from './types.js';

export { DEFAULT_BACKOFF, type BackoffOptions };

interface PendingRetry {
  timer: NodeJS.Timeout;
  readonly done: (result: ExportResult) => void;
  readonly last: ExportResult;
  stopWaking: () => void;
}

function abandoned(lastError: Error | undefined): ExportResult {
  return {
    ok: false,
    retryable: false,
    error: codedError(`export abandoned at shutdown${lastError ? ` (last error: ${lastError.message})` : ''}`, 'SHUTDOWN', lastError),
  };
}

export class RetryingTransport implements Transport {
  readonly #inner: Transport;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  readonly #pending = new Set<PendingRetry>();
  #shutdown = false;

  constructor(inner: Transport, backoff: Partial<BackoffOptions> = {}, random: () => number = Math.random) {
    this.#inner = inner;
    this.#backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this.#random = random;
  }

  send(body: Uint8Array, deadlineMs: number, done: (result: ExportResult) => void): void {
    const b = this.#backoff;
    let retries = 0;
    // Made on the way out: its failure is final even if the result comes after the exit flush gave up
    // waiting (kept by the queue, it would earn another flush at the next beforeExit, and so on).
    const onTheWayOut = isLeaving();
    const attempt = (): void => {
      this.#inner.send(body, deadlineMs, onResult);
    };
    const onResult = (result: ExportResult): void => {
      if (result.ok || !result.retryable) {
        done(result);
        return;
      }
      if (this.#shutdown) {
        done(abandoned(result.error)); // no retry will follow: the caller must not requeue either
        return;
      }
      // On the way out a failed attempt is final (see src/export/leaving.ts), for the batch queue too:
      // marked so, it is dropped there rather than kept for a retry after the app is gone.
      if (onTheWayOut || isLeaving()) {
        done({ ...result, retryable: false });
        return;
      }
      if (retries >= b.maxRetries) {
        done(result); // still retryable: the batch queue keeps the batch for a later export
        return;
      }
      let delay = backoffDelay(retries + 1, b, this.#random);
      if (result.retryAfterMs !== undefined && result.retryAfterMs > delay) delay = Math.round(result.retryAfterMs);
      if (Date.now() + delay >= deadlineMs) {
        done(result); // the next attempt could not finish in time
        return;
      }
      retries++;
      const retryNow = (): void => {
        clearTimeout(entry.timer);
        entry.stopWaking();
        this.#pending.delete(entry);
        attempt();
      };
      const entry: PendingRetry = { timer: setTimeout(retryNow, delay), done, last: result, stopWaking: () => undefined };
      entry.timer.unref();
      entry.stopWaking = onLeaving(retryNow);
      this.#pending.add(entry);
    };
    attempt();
  }

  onTheWire(): number {
    return this.#inner.onTheWire?.() ?? 0;
  }

  /** Pending retries give up at once (done gets a non-retryable result); in-flight attempts are not retried. */
  shutdown(): Promise<void> {
    this.#shutdown = true;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.stopWaking();
      entry.done(abandoned(entry.last.ok ? undefined : entry.last.error));
    }
    return this.#inner.shutdown();
  }
}
