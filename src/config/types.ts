// The frozen configuration built once from OTEL_* variables (src/config/load-config.ts).
// Everything downstream reads this, never process.env.

import type { LogLevel } from '../diag/log.js';

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export type Signal = 'traces' | 'metrics' | 'logs';

export interface OtlpSignalConfig {
  readonly protocol: OtlpProtocol;
  /**
   * Where to send. http/*: the full URL to POST to (generic endpoint + `v1/<signal>`, per-signal endpoint as is).
   * grpc: `http(s)://host:port` origin; the service path is added by the transport.
   */
  readonly url: string;
  /** Header name (lower-case) -> value, percent-decoded. Values are secrets: never log them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  /** Per-export deadline in ms; 0 means no limit. */
  readonly timeoutMs: number;
  /** grpc only: plaintext (true) or TLS (false). For http/* the URL scheme decides. */
  readonly insecure: boolean;
  /** PEM file paths (contents are read by the transport). */
  readonly certificateFile: string | undefined;
  readonly clientKeyFile: string | undefined;
  readonly clientCertificateFile: string | undefined;
  /**
   * The HTTP proxy to go through, `http://[user:password@]host:port`, from HTTPS_PROXY / HTTP_PROXY unless
   * NO_PROXY matches (src/config/proxy-for-endpoint.ts); absent: direct. Its credentials are secrets.
   */
  readonly proxy?: string;
}

export interface BatchConfig {
  readonly scheduleDelayMs: number;
  readonly exportTimeoutMs: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

export interface SpanLimits {
  readonly attributeCountLimit: number;
  /** Infinity when unlimited. */
  readonly attributeValueLengthLimit: number;
  readonly eventCountLimit: number;
  readonly linkCountLimit: number;
  readonly attributePerEventCountLimit: number;
  readonly attributePerLinkCountLimit: number;
}

export interface LogRecordLimits {
  readonly attributeCountLimit: number;
  readonly attributeValueLengthLimit: number;
}

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'jaeger';

export interface Config {
  readonly sdkDisabled: boolean;
  readonly logLevel: LogLevel;
  /** OTEL_SERVICE_NAME, or undefined (then OTEL_RESOURCE_ATTRIBUTES' service.name, then unknown_service:node). */
  readonly serviceName: string | undefined;
  /** Parsed, percent-decoded OTEL_RESOURCE_ATTRIBUTES. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** OTEL_NODE_RESOURCE_DETECTORS, expanded ('all' -> every one we have), in order. */
  readonly resourceDetectors: readonly string[];
  /** Empty when the signal is off ('none'). */
  readonly tracesExporters: readonly ('otlp' | 'console')[];
  readonly metricsExporters: readonly ('otlp' | 'prometheus' | 'console')[];
  readonly logsExporters: readonly ('otlp' | 'console')[];
  /** How the console trace and log exporters print: JSON lines, or trees of whole traces (src/export/console/tree). */
  readonly consoleFormat: 'json' | 'tree';
  readonly otlp: Readonly<Record<Signal, OtlpSignalConfig>>;
  readonly sampler: SamplerName;
  /** Ratio for the *traceidratio samplers, [0, 1]. */
  readonly samplerRatio: number;
  /** De-duplicated, in order; empty for 'none'. */
  readonly propagators: readonly PropagatorName[];
  readonly bsp: BatchConfig;
  readonly blrp: BatchConfig;
  readonly spanLimits: SpanLimits;
  readonly logRecordLimits: LogRecordLimits;
  /** Undefined means all (default set). */
  readonly enabledInstrumentations: readonly string[] | undefined;
  readonly disabledInstrumentations: readonly string[];
  /** OTEL_NODE_EXIT_EXPORT_TIMEOUT: after the app's end, the bound on sending what it left (0: each export's own timeout). */
  readonly exitExportTimeoutMs: number;
  readonly metricExportIntervalMs: number;
  readonly metricExportTimeoutMs: number;
  readonly metricsTemporalityPreference: 'cumulative' | 'delta' | 'lowmemory';
  readonly metricsExemplarFilter: 'trace_based' | 'always_on' | 'always_off';
  readonly prometheusHost: string;
  readonly prometheusPort: number;
  readonly semconvStabilityOptIn: readonly string[];
  /**
   * The instrumentations' own settings (instrumentations/<name>/settings.ts), parsed, by variable name.
   * Read them with settingValue (setting-value.ts), which falls back to the setting's default.
   */
  readonly instrumentationSettings: Readonly<Record<string, unknown>>;
}
