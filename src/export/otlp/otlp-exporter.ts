// Exporter<T> = encoder (by protocol) + transport (grpc | http) + retry, for one signal, composed here
// from the parts in ./exporter/ (outage and partial-success warnings, 413 splitting, in-flight count,
// shutdown). createOtlpTraceExporter, createOtlpMetricsExporter and createOtlpLogsExporter give each
// signal its encoders.

import type { OtlpSignalConfig, Signal } from '../../config/types.js';
import type { ResourceMetrics } from '../../metrics/metric-data.js';
import { runSuppressed } from '../../context/suppress.js';
import { diag, warnOnce } from '../../diag/log.js';
import { EXPORT_OK, type Exporter, type ExportResult } from '../../core/export-result.js';
import { encodeMetricsRequest, hasMetricPoints } from './encode-protobuf/metrics.js';
import { encodeTraceRequest, type TraceItem } from './encode-protobuf/trace.js';
import { encodeLogsRequest, type LogsItem } from './encode-protobuf/logs.js';
import { ExporterShutdown } from './exporter/exporter-shutdown.js';
import { InFlightCount } from './exporter/in-flight-count.js';
import { OutageReporter } from './exporter/outage-reporter.js';
import { partialSuccessWarnings } from './exporter/partial-success-warnings.js';
import { encodingFailure, itemBatches, splittingSender, type Batches } from './exporter/split-too-large.js';
import { joinRequests, requestHalves, type EncodedRequest } from './exporter/request-halves.js';
import { liveHandover, type LiveHandover } from './live-handover.js';
import { transportFor } from './transport/for-protocol.js';
import { describeTarget } from './transport/proxy-url.js';
import { RetryingTransport, type BackoffOptions } from './transport/retry.js';
import { failure, MAX_REQUEST_BYTES, type PartialSuccessInfo, type Transport } from './transport/types.js';

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
  /** What a batch counts as in drop counts (metrics: data points); default: its length. */
  readonly countItems?: (batch: readonly T[]) => number;
}

function safeCall(done: (r: ExportResult) => void, result: ExportResult): void {
  try {
    done(result);
  } catch (err) {
    diag.debug(`OTLP export callback threw: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** The transport for the configured protocol, or, for a URL node cannot use, one that fails every send (said once). */
function transportOrSetupFailure(signal: Signal, config: OtlpSignalConfig, url: string, onPartialSuccess: (info: PartialSuccessInfo) => void): Transport {
  try {
    return transportFor(signal, config, onPartialSuccess);
  } catch (err) {
    const message = `OTLP ${signal} exporter cannot be set up for ${url}: ${(err as Error)?.message ?? String(err)}`;
    warnOnce(`otlp-setup-${signal}`, message);
    return {
      send: (_body, _deadline, done) => process.nextTick(done, failure(message, 'SETUP', err)),
      shutdown: () => Promise.resolve(),
    };
  }
}

/**
 * Each attempt runs with tracing suppressed (our own node:http / http2 I/O must never become spans),
 * and its result goes to the outage reporter before the retry layer sees it.
 */
function observed(base: Transport, outages: OutageReporter): Transport {
  return {
    send(body, deadlineMs, done) {
      const epoch = outages.epoch;
      runSuppressed(() =>
        base.send(body, deadlineMs, (result) => {
          outages.attemptEnded(result, epoch);
          done(result);
        }),
      );
    },
    shutdown: () => base.shutdown(),
    onTheWire: () => base.onTheWire?.() ?? 0,
  };
}

/** One signal's exporter of batches B (the app's items, or requests its app encoded: the launcher's). */
interface OtlpSender<B> {
  /** A shut-down exporter refuses every batch, an empty one too. */
  readonly isShutdown: boolean;
  export(batch: B, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  onTheWire(): boolean;
}

/** Transport, retries, 413 splitting, warnings and shutdown for one signal; each part is in ./exporter/. */
function otlpSender<B>(signal: Signal, config: OtlpSignalConfig, batches: Batches<B>, backoff: Partial<BackoffOptions> | undefined, maxRequestBytes: number | undefined): OtlpSender<B> {
  // Warnings name the proxy too when there is one: `https://collector/v1/traces through the proxy http://proxy:3128`.
  const url = describeTarget(config);
  const outages = new OutageReporter(signal, config, url);
  const base = transportOrSetupFailure(signal, config, url, partialSuccessWarnings(signal, url));
  const transport = new RetryingTransport(observed(base, outages), backoff);
  const send = splittingSender<B>({ signal, url, batches, transport, maxRequestBytes: maxRequestBytes ?? MAX_REQUEST_BYTES });
  const inFlight = new InFlightCount();
  const lifecycle = new ExporterShutdown();

  return {
    get isShutdown() {
      return lifecycle.isShutdown;
    },
    export(batch: B, done: (result: ExportResult) => void): void {
      if (lifecycle.isShutdown) {
        process.nextTick(safeCall, done, failure(`OTLP ${signal} exporter is shut down`, 'SHUTDOWN'));
        return;
      }
      const deadlineMs = config.timeoutMs > 0 ? Date.now() + config.timeoutMs : Infinity;
      const epoch = outages.epoch;
      inFlight.begin();
      let called = false;
      send(batch, deadlineMs, (result) => {
        if (called) return;
        called = true;
        inFlight.end();
        // A collector that answers but keeps refusing (UNAVAILABLE, 503, 429) until the retries run
        // out is an outage too: said once, like a refused connection, and again after it recovers.
        if (!result.ok && result.retryable && !lifecycle.isShutdown) {
          outages.outage(`the OTLP collector at ${url} keeps failing ${signal} exports (${result.error.message})`, epoch);
        }
        safeCall(done, result);
      });
    },

    shutdown: () => lifecycle.shutdown(transport, inFlight),
    // One export is in flight at a time per batch queue. A 413's second half not yet sent is the one case
    // where part of a batch counts as on the wire while the rest is not (then the rest is lost at exit).
    onTheWire: () => transport.onTheWire() > 0,
  };
}

/** The spec's rule for an empty batch, before anything else: nothing to send. */
function refusingEmpty<T>(sender: OtlpSender<readonly T[]>): Exporter<T> {
  return {
    export(batch, done) {
      if (batch.length === 0 && !sender.isShutdown) process.nextTick(safeCall, done, EXPORT_OK); // the spec says not to send empty envelopes
      else sender.export(batch, done);
    },
    shutdown: () => sender.shutdown(),
    onTheWire: () => sender.onTheWire(),
  };
}

/**
 * Under the launcher with OTEL_NODE_EXPORT_VIA_LAUNCHER, each batch is encoded here and handed to the
 * launcher, which sends it (./live-handover.ts); without, the app sends it itself.
 */
export function createOtlpExporter<T>(opts: OtlpExporterOptions<T>): Exporter<T> {
  const { signal, config } = opts;
  const encode = config.protocol === 'http/json' ? opts.encodeJson : opts.encodeProtobuf;
  const live = liveHandover();
  if (live !== undefined) return refusingEmpty(handingOver(signal, config, encode, opts.countItems ?? ((batch) => batch.length), live));
  return refusingEmpty(otlpSender(signal, config, itemBatches(encode), opts.backoff, opts.maxRequestBytes));
}

/** The app's side of OTEL_NODE_EXPORT_VIA_LAUNCHER: a batch written to the launcher is exported, for good. */
function handingOver<T>(signal: Signal, config: OtlpSignalConfig, encode: (batch: readonly T[]) => Uint8Array, countItems: (batch: readonly T[]) => number, live: LiveHandover): OtlpSender<readonly T[]> {
  const lifecycle = new ExporterShutdown();
  const idle = new InFlightCount();
  const closed: Transport = { send: (_b, _d, done) => process.nextTick(done, EXPORT_OK), shutdown: () => Promise.resolve() };
  return {
    get isShutdown() {
      return lifecycle.isShutdown;
    },
    export(batch, done) {
      if (lifecycle.isShutdown) {
        process.nextTick(safeCall, done, failure(`OTLP ${signal} exporter is shut down`, 'SHUTDOWN'));
        return;
      }
      let body: Uint8Array;
      try {
        body = encode(batch);
      } catch (err) {
        process.nextTick(safeCall, done, encodingFailure(signal, batch.length, err));
        return;
      }
      const handed = live({ signal, config, body, live: { items: countItems(batch) } });
      // Refused (the launcher is behind, or gone): not retryable, so the batch queue drops and counts it.
      process.nextTick(safeCall, done, handed === 'handed' ? EXPORT_OK : failure(`the launcher did not take the ${signal} (${handed})`, 'LAUNCHER_' + handed.toUpperCase().replace(' ', '_')));
    },
    shutdown: () => lifecycle.shutdown(closed, idle),
    // The export in flight was written (or refused) when export() returned: never the exit's to send again.
    onTheWire: () => true,
  };
}

/**
 * The launcher's side: an exporter of requests its app encoded (src/exit/launcher-export.ts), with the same
 * transport, retries, outage reports, partial-success warnings and 413 halves as the app's own. A batch of
 * several requests goes as one (requests joined, request-halves.ts).
 */
export function createOtlpRequestExporter(signal: Signal, config: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<EncodedRequest> {
  const json = config.protocol === 'http/json';
  const sender = otlpSender<EncodedRequest>(
    signal,
    config,
    { encode: (request) => request.body, count: (request) => request.items, halves: (request) => requestHalves(signal, json, request) },
    options.backoff,
    options.maxRequestBytes,
  );
  return refusingEmpty<EncodedRequest>({
    get isShutdown() {
      return sender.isShutdown;
    },
    export(batch, done) {
      let request: EncodedRequest;
      try {
        request = batch.length === 1 ? batch[0]! : joinRequests(signal, json, batch);
      } catch (err) {
        process.nextTick(safeCall, done, failure(`OTLP ${signal}: requests could not be joined`, 'ENCODE', err));
        return;
      }
      sender.export(request, done);
    },
    shutdown: () => sender.shutdown(),
    onTheWire: () => sender.onTheWire(),
  });
}

export interface OtlpTraceExporterOptions {
  readonly backoff?: Partial<BackoffOptions>;
  readonly maxRequestBytes?: number;
}

/** The OTLP trace exporter for `cfg.protocol` (grpc, http/protobuf or http/json). Never throws. Spans encoded ahead are sent as they are. */
export function createOtlpTraceExporter(cfg: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<TraceItem> {
  return createOtlpExporter<TraceItem>({
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
    countItems: (batch) => {
      const { pointCount } = require('../../metrics/periodic-reader.js') as typeof import('../../metrics/periodic-reader.js');
      let points = 0;
      for (const rm of batch) points += pointCount(rm);
      return points;
    },
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

/** The OTLP logs exporter for `cfg.protocol` (grpc, http/protobuf or http/json). Never throws. Records encoded ahead are sent as they are. */
export function createOtlpLogsExporter(cfg: OtlpSignalConfig, options: OtlpTraceExporterOptions = {}): Exporter<LogsItem> {
  return createOtlpExporter<LogsItem>({
    signal: 'logs',
    config: cfg,
    encodeProtobuf: encodeLogsRequest,
    encodeJson: (batch) => (require('./encode-json/logs.js') as typeof import('./encode-json/logs.js')).encodeLogsRequestJson(batch),
    backoff: options.backoff,
    maxRequestBytes: options.maxRequestBytes,
  });
}
