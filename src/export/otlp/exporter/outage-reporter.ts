// What each attempt's result tells the user: an outage (refused connection, untrusted certificate, no
// answer in time, or retries run out) is said once, whatever its kind, and again only after the
// collector was reachable again. Rejections that will not fix themselves are said once per kind.

import type { OtlpSignalConfig, Signal } from '../../../config/types.js';
import type { ExportResult } from '../../../core/export-result.js';
import { diag, resetWarnOnce, warnOnce } from '../../../diag/log.js';
import { isConnectionError, isTlsError, PAYLOAD_TOO_LARGE, type CodedError } from '../transport/types.js';

const DEADLINE_CODES = new Set(['GRPC_DEADLINE_EXCEEDED', 'HTTP_DEADLINE_EXCEEDED']);

function collectorOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}

export class OutageReporter {
  readonly #signal: Signal;
  readonly #config: OtlpSignalConfig;
  readonly #url: string;
  /** One warning per outage of a collector, not per signal: traces, metrics and logs usually share one. */
  readonly #unreachableKey: string;
  #unreachable = false;

  /** `url` is config.url redacted, for the messages. */
  constructor(signal: Signal, config: OtlpSignalConfig, url: string) {
    this.#signal = signal;
    this.#config = config;
    this.#url = url;
    this.#unreachableKey = `otlp-unreachable-${collectorOrigin(config.url)}`;
  }

  /** One attempt (before any retry) ended with `result`. */
  attemptEnded(result: ExportResult): void {
    const url = this.#url;
    if (result.ok) {
      if (this.#unreachable) {
        this.#unreachable = false;
        resetWarnOnce(this.#unreachableKey);
        diag.debug(`OTLP ${this.#signal}: collector reachable again at ${url}`);
      }
    } else if (isConnectionError(result.error)) {
      const code = (result.error as CodedError).code;
      this.outage(
        isTlsError(result.error)
          ? `cannot verify the TLS certificate of the OTLP collector at ${url}: ${code} (is OTEL_EXPORTER_OTLP_CERTIFICATE the CA that signed it?)`
          : `cannot reach the OTLP collector at ${url}: ${code}`,
      );
    } else if (DEADLINE_CODES.has((result.error as CodedError).code ?? '')) {
      // A collector that accepts connections but never answers (black-holed, overloaded) is an outage too.
      this.outage(`the OTLP collector at ${url} did not answer within ${this.#config.timeoutMs} ms`);
    } else if (!result.retryable && (result.error as CodedError).code !== PAYLOAD_TOO_LARGE) {
      // Rejections (400, INVALID_ARGUMENT, UNAUTHENTICATED, unreadable TLS files) will not fix themselves:
      // say so once per kind of failure. Messages hold the server's text, never our headers. A 413 is
      // not one: the exporter sends the request again in halves.
      warnOnce(
        `otlp-rejected-${this.#signal}-${(result.error as CodedError).code ?? 'unknown'}`,
        `OTLP ${this.#signal} export to ${url} failed and will not be retried: ${result.error.message}`,
      );
    }
  }

  /** Said once per outage, whatever its kind, and again only after the collector was reachable again. */
  outage(what: string): void {
    this.#unreachable = true;
    warnOnce(this.#unreachableKey, `${what}; will keep retrying, telemetry may be dropped`);
  }
}
