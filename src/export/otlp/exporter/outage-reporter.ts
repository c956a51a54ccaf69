// What each attempt's result tells the user: an outage (refused connection, untrusted certificate, no
// answer in time, or retries run out) is said once per collector, whatever its kind, and when the
// collector takes data again one info line says how long the outage lasted and how many spans, metric
// data points and log records were dropped meanwhile (core/dropped-counts.ts). Rejections that will
// not fix themselves are said once per kind.

import type { OtlpSignalConfig, Signal } from '../../../config/types.js';
import type { ExportResult } from '../../../core/export-result.js';
import { droppedSoFar } from '../../../core/dropped-counts.js';
import { diag, resetWarnOnce, warnOnce } from '../../../diag/log.js';
import { redactEndpointUrl } from '../../../diag/redact.js';
import { isConnectionError, isTlsError, PAYLOAD_TOO_LARGE, type CodedError } from '../transport/types.js';

const DEADLINE_CODES = new Set(['GRPC_DEADLINE_EXCEEDED', 'HTTP_DEADLINE_EXCEEDED']);
const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

function collectorOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}

/** One collector (scheme, host, port), shared by the signals that export to it: traces, metrics and logs usually share one. */
class Collector {
  /** How the summary names it (no credentials, no path). */
  readonly name: string;
  readonly warningKey: string;
  readonly signals = new Set<Signal>();
  /** Bumped when an outage ends: an attempt that started before says nothing about the collector since. */
  epoch = 0;
  /** When the first failed attempt of the present outage ended; undefined while the collector takes data. */
  since: number | undefined;
  /** droppedSoFar() of each signal at `since`. */
  readonly droppedBefore: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  /** The outage was said (warned): its end is said too. A failure the retries got past is not an outage. */
  said = false;

  constructor(origin: string) {
    this.name = redactEndpointUrl(origin);
    this.warningKey = `otlp-unreachable-${origin}`;
  }
}

const collectors = new Map<string, Collector>();

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Whether this process has warned that the collector at `url` is unreachable, and it has not come back since. */
export function outageSaidFor(url: string): boolean {
  return collectors.get(collectorOrigin(url))?.said === true;
}

/**
 * A rejection that will not fix itself (400, INVALID_ARGUMENT, an HTML page for an answer), said once per
 * signal and kind. The launcher says those of what it sends for the app at exit through here too.
 */
export function sayRejected(signal: Signal, url: string, error: Error): void {
  const code = (error as CodedError).code;
  warnOnce(`otlp-rejected-${signal}-${code ?? 'unknown'}`, `OTLP ${signal} export to ${url} failed and will not be retried: ${error.message}`);
}

export class OutageReporter {
  readonly #signal: Signal;
  readonly #config: OtlpSignalConfig;
  readonly #url: string;
  readonly #collector: Collector;

  /** `url` is config.url redacted, for the messages. */
  constructor(signal: Signal, config: OtlpSignalConfig, url: string) {
    this.#signal = signal;
    this.#config = config;
    this.#url = url;
    const origin = collectorOrigin(config.url);
    let collector = collectors.get(origin);
    if (collector === undefined) {
      collector = new Collector(origin);
      collectors.set(origin, collector);
    }
    collector.signals.add(signal);
    this.#collector = collector;
  }

  /** Taken when an attempt or export starts, and given back with its end. */
  get epoch(): number {
    return this.#collector.epoch;
  }

  /** One attempt (before any retry), started at `epoch`, ended with `result`. */
  attemptEnded(result: ExportResult, epoch: number = this.#collector.epoch): void {
    const url = this.#url;
    if (result.ok) {
      this.#recovered();
      return;
    }
    const stale = epoch !== this.#collector.epoch;
    const code = (result.error as CodedError).code;
    if (isConnectionError(result.error)) {
      this.outage(
        isTlsError(result.error)
          ? `cannot verify the TLS certificate of the OTLP collector at ${url}: ${code} (is OTEL_EXPORTER_OTLP_CERTIFICATE the CA that signed it?)`
          : `cannot reach the OTLP collector at ${url}: ${code}`,
        epoch,
      );
    } else if (DEADLINE_CODES.has(code ?? '')) {
      // A collector that accepts connections but never answers (black-holed, overloaded) is an outage too.
      this.outage(`the OTLP collector at ${url} did not answer within ${this.#config.timeoutMs} ms`, epoch);
    } else if (result.retryable) {
      // UNAVAILABLE, 503: an outage if the retries do not get past it (the exporter says so then).
      if (!stale) this.#failing();
    } else if (code !== PAYLOAD_TOO_LARGE) {
      // Rejections (400, INVALID_ARGUMENT, UNAUTHENTICATED, unreadable TLS files) will not fix themselves:
      // say so once per kind of failure. Messages hold the server's text, never our headers. A 413 is
      // not one: the exporter sends the request again in halves.
      sayRejected(this.#signal, url, result.error);
    }
  }

  /**
   * Said once per outage, whatever its kind, and again only after the collector took data again. An
   * attempt or export that started before it came back (`epoch`) does not start a new one.
   */
  outage(what: string, epoch: number = this.#collector.epoch): void {
    if (epoch !== this.#collector.epoch) return;
    this.#failing();
    this.#collector.said = true;
    warnOnce(this.#collector.warningKey, `${what}; will keep retrying, telemetry may be dropped`);
  }

  #failing(): void {
    const collector = this.#collector;
    if (collector.since !== undefined) return;
    collector.since = Date.now();
    for (const signal of SIGNALS) collector.droppedBefore[signal] = droppedSoFar(signal);
  }

  #recovered(): void {
    const collector = this.#collector;
    if (collector.since === undefined) return;
    if (collector.said) {
      // Signals sent elsewhere dropped nothing because of this collector.
      const dropped = (signal: Signal): number =>
        collector.signals.has(signal) ? droppedSoFar(signal) - collector.droppedBefore[signal] : 0;
      diag.info(
        `the OTLP collector at ${collector.name} takes data again after an outage of ${seconds(Date.now() - collector.since)}; ` +
          `dropped meanwhile: ${dropped('traces')} spans, ${dropped('metrics')} metric data points, ${dropped('logs')} log records`,
      );
      resetWarnOnce(collector.warningKey);
    }
    collector.since = undefined;
    collector.said = false;
    collector.epoch++;
  }
}
