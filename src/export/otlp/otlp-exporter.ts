// Exporter<T> = encoder (by protocol) + transport (grpc | http) + retry, for one signal.
// Traces use createOtlpTraceExporter; metrics and logs pass their own encoders and gRPC service path to
// createOtlpExporter.

import type { OtlpSignalConfig, Signal } from '../../config/types.js';
import type { ResourceMetrics } from '../../metrics/metric-data.js';
import type { ReadableSpan } from '../../trace/span-data.js';
import { runSuppressed } from '../../context/suppress.js';
import { diag, resetWarnOnce, warnOnce } from '../../diag/log.js';
import { EXPORT_OK, type Exporter, type ExportResult } from '../../core/export-result.js';
import { encodeMetricsRequest, hasMetricPoints } from './encode-protobuf/metrics.js';
import { encodeTraceRequest } from './encode-protobuf/trace.js';
import { encodeLogsRequest } from './encode-protobuf/logs.js';
import type { ReadableLogRecord } from '../../logs/log-record-data.js';
import { redactUrl } from './redact-url.js';
import { transportFor } from './transport/for-protocol.js';
import { RetryingTransport, type BackoffOptions } from './transport/retry.js';
import {
  codedError,
  isConnectionError,
  isTlsError,
  MAX_REQUEST_BYTES,
  type CodedError,
  type PartialSuccessInfo,
  type Transport,
} from './transport/types.js';

export interface OtlpExporterOptions<T> {
  readonly signal: Signal;
  readonly config: OtlpSignalConfig;
  /** Export*ServiceRequest as protobuf (grpc, http/protobuf). */
  readonly encodeProtobuf: (batch: readonly T[]) => Uint8Array;
  /** Export*ServiceRequest as OTLP/JSON (http/json); the create* functions require its module on first use. */
  readonly encodeJson: (batch: readonly T[]) => Uint8Array;
  /** Overrides of the spec's backoff (tests use small delays). */
  readonly backoff?: Partial<BackoffOptions>;
  /** Requests above this (before compression) are split, or dropped when one item is still too large. Default 64 MiB. */
  readonly maxRequestBytes?: number;
}

const ITEM_NOUN: Record<Signal, string> = { traces: 'spans', metrics: 'data points', logs: 'log records' };
const MAX_REMEMBERED_PARTIAL_MESSAGES = 64;
const PAYLOAD_TOO_LARGE = 'HTTP_413';
const DEADLINE_CODES = new Set(['GRPC_DEADLINE_EXCEEDED', 'HTTP_DEADLINE_EXCEEDED']);

function failure(message: string, code: string, cause?: unknown): ExportResult {
  return { ok: false, retryable: false, error: codedError(message, code, cause) };
}

function safeCall(done: (r: ExportResult) => void, result: ExportResult): void {
  try {
    done(result);
  } catch (err) {
    diag.debug(`OTLP export callback threw: ${(err as Error)?.message ?? String(err)}`);
  }
}

function collectorOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}

export function createOtlpExporter<T>(opts: OtlpExporterOptions<T>): Exporter<T> {
  const { signal, config } = opts;
  const url = redactUrl(config.url);
  // One warning per outage of a collector, not per signal: traces, metrics and logs usually share one.
  const unreachableKey = `otlp-unreachable-${collectorOrigin(config.url)}`;
  const maxRequestBytes = opts.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const encode = config.protocol === 'http/json' ? opts.encodeJson : opts.encodeProtobuf;

  const seenPartialMessages = new Set<string>();
  const onPartialSuccess = (info: PartialSuccessInfo): void => {
    if (seenPartialMessages.has(info.errorMessage) || seenPartialMessages.size >= MAX_REMEMBERED_PARTIAL_MESSAGES) return;
    seenPartialMessages.add(info.errorMessage);
    diag.warn(
      `the OTLP collector at ${url} accepted ${signal} partially: ${info.rejected} ${ITEM_NOUN[signal]} rejected` +
        (info.errorMessage ? `: ${info.errorMessage}` : ''),
    );
  };

  let base: Transport;
  try {
    base = transportFor(signal, config, onPartialSuccess);
  } catch (err) {
    // A URL node cannot use: fail every export, say so once.
    const message = `OTLP ${signal} exporter cannot be set up for ${url}: ${(err as Error)?.message ?? String(err)}`;
    warnOnce(`otlp-setup-${signal}`, message);
    base = {
      send: (_body, _deadline, done) => process.nextTick(done, failure(message, 'SETUP', err)),
      shutdown: () => Promise.resolve(),
    };
  }

  // Each attempt: runs with tracing suppressed (our own node:http / http2 I/O must never become spans) and
  // feeds the one-warning-per-outage logic.
  let unreachable = false;
  /** Said once per outage, whatever its kind, and again only after the collector was reachable again. */
  const outage = (what: string): void => {
    unreachable = true;
    warnOnce(unreachableKey, `${what}; will keep retrying, telemetry may be dropped`);
  };
  const observed: Transport = {
    send(body, deadlineMs, done) {
      runSuppressed(() =>
        base.send(body, deadlineMs, (result) => {
          if (result.ok) {
            if (unreachable) {
              unreachable = false;
              resetWarnOnce(unreachableKey);
              diag.debug(`OTLP ${signal}: collector reachable again at ${url}`);
            }
          } else if (isConnectionError(result.error)) {
            const code = (result.error as CodedError).code;
            outage(
              isTlsError(result.error)
                ? `cannot verify the TLS certificate of the OTLP collector at ${url}: ${code} (is OTEL_EXPORTER_OTLP_CERTIFICATE the CA that signed it?)`
                : `cannot reach the OTLP collector at ${url}: ${code}`,
            );
          } else if (DEADLINE_CODES.has((result.error as CodedError).code ?? '')) {
            // A collector that accepts connections but never answers (black-holed, overloaded) is an outage too.
            outage(`the OTLP collector at ${url} did not answer within ${config.timeoutMs} ms`);
          } else if (!result.retryable && (result.error as CodedError).code !== PAYLOAD_TOO_LARGE) {
            // Rejections (400, INVALID_ARGUMENT, UNAUTHENTICATED, unreadable TLS files) will not fix themselves:
            // say so once per kind of failure. Messages hold the server's text, never our headers.
            warnOnce(
              `otlp-rejected-${signal}-${(result.error as CodedError).code ?? 'unknown'}`,
              `OTLP ${signal} export to ${url} failed and will not be retried: ${result.error.message}`,
            );
          }
          done(result);
        }),
      );
    },
    shutdown: () => base.shutdown(),
  };
  const transport = new RetryingTransport(observed, opts.backoff);

  let isShutdown = false;
  let shutdownPromise: Promise<void> | undefined;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  /**
   * Encodes and sends one batch. A request the collector refuses as too large (HTTP 413), or one above
   * our own size limit, is sent again as two halves, down to single items: what fits is kept.
   */
  const sendSplittable = (batch: readonly T[], deadlineMs: number, done: (result: ExportResult) => void): void => {
    let body: Uint8Array;
    try {
      body = encode(batch);
    } catch (err) {
      diag.warn(`OTLP ${signal}: could not encode ${batch.length} ${ITEM_NOUN[signal]}: ${(err as Error)?.message ?? String(err)}`);
      process.nextTick(done, failure(`OTLP ${signal} encoding failed`, 'ENCODE', err));
      return;
    }
    const tooLarge = (refusedBy: string): void => {
      if (batch.length > 1 && Date.now() < deadlineMs) {
        diag.debug(`OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; sending its ${batch.length} ${ITEM_NOUN[signal]} in two halves`);
        sendHalves(batch, deadlineMs, done);
        return;
      }
      warnOnce(
        `otlp-too-large-${signal}-${url}`,
        `OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; dropped ${batch.length} ${ITEM_NOUN[signal]} that could not be sent smaller`,
      );
      done(failure(`OTLP ${signal} request too large (${body.length} bytes)`, 'REQUEST_TOO_LARGE'));
    };
    if (body.length > maxRequestBytes) {
      process.nextTick(tooLarge, `the ${maxRequestBytes}-byte request limit refuses`);
      return;
    }
    try {
      transport.send(body, deadlineMs, (result) => {
        if (!result.ok && (result.error as CodedError).code === PAYLOAD_TOO_LARGE) tooLarge(`the collector at ${url} refused (HTTP 413)`);
        else done(result);
      });
    } catch (err) {
      // Transports never throw; this guards the contract anyway.
      process.nextTick(done, failure(`OTLP ${signal} send failed`, 'SEND', err));
    }
  };
  const sendHalves = (batch: readonly T[], deadlineMs: number, done: (result: ExportResult) => void): void => {
    const middle = batch.length >>> 1;
    sendSplittable(batch.slice(0, middle), deadlineMs, (first) =>
      sendSplittable(batch.slice(middle), deadlineMs, (second) => done(first.ok ? second : first)),
    );
  };

  return {
    export(batch: readonly T[], done: (result: ExportResult) => void): void {
      if (isShutdown) {
        process.nextTick(safeCall, done, failure(`OTLP ${signal} exporter is shut down`, 'SHUTDOWN'));
        return;
      }
      if (batch.length === 0) {
        process.nextTick(safeCall, done, EXPORT_OK); // the spec says not to send empty envelopes
        return;
      }
      const deadlineMs = config.timeoutMs > 0 ? Date.now() + config.timeoutMs : Infinity;
      inFlight++;
      let called = false;
      sendSplittable(batch, deadlineMs, (result) => {
        if (called) return;
        called = true;
        if (--inFlight === 0 && onIdle !== undefined) onIdle();
        // A collector that answers but keeps refusing (UNAVAILABLE, 503, 429) until the retries run
        // out is an outage too: said once, like a refused connection, and again after it recovers.
        if (!result.ok && result.retryable && !isShutdown) outage(`the OTLP collector at ${url} keeps failing ${signal} exports (${result.error.message})`);
        safeCall(done, result);
      });
    },

    shutdown(): Promise<void> {
      if (shutdownPromise !== undefined) return shutdownPromise;
      isShutdown = true;
      const idle =
        inFlight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              onIdle = resolve;
            });
      shutdownPromise = Promise.all([transport.shutdown().catch(() => undefined), idle]).then(
        () => undefined,
        () => undefined,
      );
      return shutdownPromise;
    },
  };
}

export interface OtlpTraceExporterOptions {
  readonly backoff?: Partial<BackoffOptions>;
  readonly maxRequestBytes?: number;
}

/** The OTLP trace exporter for `cfg.protocol` (grpc, http/protobuf or http/json). Never throws. */
export function createOtlpTraceExporter(cfg: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<ReadableSpan> {
  return createOtlpExporter<ReadableSpan>({
    signal: 'traces',
    config: cfg,
    encodeProtobuf: encodeTraceRequest,
    encodeJson: (batch) => (require('./encode-json/trace.js') as typeof import('./encode-json/trace.js')).encodeTraceRequestJson(batch),
    backoff: options.backoff,
    maxRequestBytes: options.maxRequestBytes,
  });
}

/** The OTLP metrics exporter for `cfg.protocol` (grpc, http/protobuf or http/json). Never throws. */
export function createOtlpMetricsExporter(cfg: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<ResourceMetrics> {
  const inner = createOtlpExporter<ResourceMetrics>({
    signal: 'metrics',
    config: cfg,
    encodeProtobuf: encodeMetricsRequest,
    encodeJson: (batch) => (require('./encode-json/metrics.js') as typeof import('./encode-json/metrics.js')).encodeMetricsRequestJson(batch),
    backoff: options.backoff,
    maxRequestBytes: options.maxRequestBytes,
  });
  return {
    export(batch, done) {
      // A collection without a single point is an empty envelope: succeed without sending (a shut-down
      // exporter still answers with its failure, so that goes through).
      if (batch.length > 0 && !hasMetricPoints(batch)) inner.export([], done);
      else inner.export(batch, done);
    },
    shutdown: () => inner.shutdown(),
  };
}

/** The OTLP logs exporter for `cfg.protocol` (grpc, http/protobuf or http/json). Never throws. */
export function createOtlpLogsExporter(cfg: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<ReadableLogRecord> {
  return createOtlpExporter<ReadableLogRecord>({
    signal: 'logs',
    config: cfg,
    encodeProtobuf: encodeLogsRequest,
    encodeJson: (batch) => (require('./encode-json/logs.js') as typeof import('./encode-json/logs.js')).encodeLogsRequestJson(batch),
    backoff: options.backoff,
    maxRequestBytes: options.maxRequestBytes,
  });
}
