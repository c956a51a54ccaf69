// Retries retryable failures with exponential backoff and jitter (OTLP spec; same numbers as the JS, Java
// reference exporters): 1 s initial, x1.5, 5 s cap, +-20 % jitter, at most 5 retries, never past the deadline.

import type { ExportResult } from '../../../core/export-result.js';
import { isLeaving, onLeaving } from '../../leaving.js';
import { codedError, type Transport } from './types.js';

export interface BackoffOptions {
  /** First retry delay before jitter. */
  readonly initialMs: number;
  readonly multiplier: number;
  readonly maxMs: number;
  /** Fraction of the delay added or removed at random (0.2 = +-20 %). */
  readonly jitter: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 1000,
  multiplier: 1.5,
  maxMs: 5000,
  jitter: 0.2,
  maxRetries: 5,
});

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
    let nextDelay = b.initialMs;
    const attempt = (): void => {
      this.#inner.send(body, deadlineMs, onResult);
    };
    const onResult = (result: ExportResult): void => {
      if (result.ok || !result.retryable || retries >= b.maxRetries) {
        done(result);
        return;
      }
      if (this.#shutdown) {
        done(abandoned(result.error)); // no retry will follow: the caller must not requeue either
        return;
      }
      // On the way out a failed attempt is final (see src/export/leaving.ts).
      if (isLeaving()) {
        done(result);
        return;
      }
      let delay = nextDelay * (1 + b.jitter * (2 * this.#random() - 1));
      nextDelay = Math.min(nextDelay * b.multiplier, b.maxMs);
      if (result.retryAfterMs !== undefined && result.retryAfterMs > delay) delay = result.retryAfterMs;
      delay = Math.max(0, Math.round(delay));
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
