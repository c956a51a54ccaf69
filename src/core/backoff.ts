// Exponential backoff with jitter, the OTLP spec's rule for retryable failures (same numbers as the JS
// and Java reference exporters): 1 s initial, x1.5, 5 s cap, +-20 % jitter. The retrying transport
// waits this between attempts within one export; the batch queue waits it between exports of a batch
// the collector did not take.

export interface BackoffOptions {
  /** First retry delay before jitter. */
  readonly initialMs: number;
  readonly multiplier: number;
  readonly maxMs: number;
  /** Fraction of the delay added or removed at random (0.2 = +-20 %). */
  readonly jitter: number;
  /** Retries after the first attempt (the retrying transport's limit within one export). */
  readonly maxRetries: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 1000,
  multiplier: 1.5,
  maxMs: 5000,
  jitter: 0.2,
  maxRetries: 5,
});

/** The wait before the next attempt after `failures` failed ones in a row (1 or more), jittered, in whole ms. */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.initialMs * options.multiplier ** Math.max(0, failures - 1), options.maxMs);
  return Math.max(0, Math.round(base * (1 + options.jitter * (2 * random() - 1))));
}
