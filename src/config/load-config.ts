// The frozen Config, built from OTEL_* variables with the spec's defaults, and its description for
// `otel-instrument --print-config`. Never throws: bad values warn once and fall back.

import type { LogLevel } from '../diag/log.js';
import { warnOnce } from '../diag/log.js';
import type { BatchConfig, Config, PropagatorName, SamplerName } from './types.js';
import {
  type Env,
  readBool,
  readDuration,
  readEnum,
  readEnumList,
  readInt,
  readIntChain,
  readKeyValueList,
  readList,
  readNumber,
  readRaw,
  readString,
  trackAcceptedVars,
} from './env-readers.js';
import { maskHeaderValues, redactUrlSecrets } from '../diag/redact.js';
import {
  OTLP_SIGNALS,
  defaultOtlpEndpoint,
  otlpChain,
  otlpVar,
  resolveOtlp,
  resolveOtlpHeaders,
  resolveOtlpProtocol,
} from './otlp-endpoint.js';

export const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];
export const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
export const PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'];
export const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage'];
export const RESOURCE_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance', 'container'] as const;
export const DEFAULT_RESOURCE_DETECTORS: readonly string[] = ['env', 'host', 'os', 'process'];
export const TRACES_EXPORTERS = ['otlp', 'console'] as const;
export const METRICS_EXPORTERS = ['otlp', 'prometheus', 'console'] as const;
export const LOGS_EXPORTERS = ['otlp', 'console'] as const;
export const DEFAULT_SERVICE_NAME = 'unknown_service:node';

const TEMPORALITIES = ['cumulative', 'delta', 'lowmemory'] as const;
const EXEMPLAR_FILTERS = ['trace_based', 'always_on', 'always_off'] as const;
const DEFAULT_LIMIT = 128;

const BSP_DEFAULTS: BatchConfig = { scheduleDelayMs: 5000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 };
const BLRP_DEFAULTS: BatchConfig = { scheduleDelayMs: 1000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 };

/** Builds the configuration from `env`. Warnings (once per variable and value) go to stderr. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return deepFreeze(buildConfig(env));
}

function buildConfig(env: Env): Config {
  const configFile = readRaw(env, 'OTEL_CONFIG_FILE') ?? readRaw(env, 'OTEL_EXPERIMENTAL_CONFIG_FILE');
  if (configFile !== undefined) {
    warnOnce('config:OTEL_CONFIG_FILE', 'OTEL_CONFIG_FILE (declarative configuration) is not supported; using environment variables');
  }

  const sampler = readEnum(env, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on', {
    unsupported: ['jaeger_remote', 'parentbased_jaeger_remote', 'xray'],
  });
  const attributeCountNames = (specific: string): string[] => [specific, 'OTEL_ATTRIBUTE_COUNT_LIMIT'];
  const valueLengthNames = (specific: string): string[] => [specific, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'];

  const metricExportIntervalMs = readDuration(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60000, 1);
  let metricExportTimeoutMs = readDuration(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30000);
  if (metricExportTimeoutMs === 0 || metricExportTimeoutMs > metricExportIntervalMs) {
    // Only a timeout the user set is worth a warning; the default one just follows a shorter interval.
    if (readRaw(env, 'OTEL_METRIC_EXPORT_TIMEOUT') !== undefined) warnOnce(
      `config:OTEL_METRIC_EXPORT_TIMEOUT>${metricExportTimeoutMs}>${metricExportIntervalMs}`,
      `OTEL_METRIC_EXPORT_TIMEOUT (${metricExportTimeoutMs === 0 ? '0, no limit' : metricExportTimeoutMs}) exceeds OTEL_METRIC_EXPORT_INTERVAL (${metricExportIntervalMs}); using ${metricExportIntervalMs}`,
    );
    metricExportTimeoutMs = metricExportIntervalMs;
  }

  return {
    sdkDisabled: readBool(env, 'OTEL_SDK_DISABLED'),
    logLevel: readLogLevel(env),
    serviceName: readString(env, 'OTEL_SERVICE_NAME'),
    resourceAttributes: readKeyValueList(env, 'OTEL_RESOURCE_ATTRIBUTES', { onError: 'discard' }) ?? {},
    resourceDetectors: readEnumList<string>(env, 'OTEL_NODE_RESOURCE_DETECTORS', {
      allowed: RESOURCE_DETECTORS,
      fallback: DEFAULT_RESOURCE_DETECTORS,
      none: true,
      expand: { all: RESOURCE_DETECTORS },
      unsupported: ['alibaba', 'aws', 'azure', 'gcp'],
    }),
    tracesExporters: readEnumList(env, 'OTEL_TRACES_EXPORTER', {
      allowed: TRACES_EXPORTERS,
      fallback: ['otlp'],
      none: true,
      unsupported: ['zipkin', 'jaeger', 'otlp/stdout', 'logging'],
    }),
    metricsExporters: readEnumList(env, 'OTEL_METRICS_EXPORTER', {
      allowed: METRICS_EXPORTERS,
      fallback: ['otlp'],
      none: true,
      unsupported: ['otlp/stdout', 'logging'],
    }),
    logsExporters: readEnumList(env, 'OTEL_LOGS_EXPORTER', {
      allowed: LOGS_EXPORTERS,
      fallback: ['otlp'],
      none: true,
      unsupported: ['otlp/stdout', 'logging'],
    }),
    otlp: resolveOtlp(env),
    sampler,
    // The argument only means something to the ratio samplers; for the others it is not read.
    samplerRatio: sampler.endsWith('traceidratio') ? readNumber(env, 'OTEL_TRACES_SAMPLER_ARG', 1, 0, 1) : 1,
    propagators: readEnumList(env, 'OTEL_PROPAGATORS', {
      allowed: PROPAGATORS,
      fallback: DEFAULT_PROPAGATORS,
      none: true,
      unsupported: ['xray', 'ottrace'],
    }),
    bsp: readBatch(env, 'OTEL_BSP', BSP_DEFAULTS),
    blrp: readBatch(env, 'OTEL_BLRP', BLRP_DEFAULTS),
    spanLimits: {
      attributeCountLimit: readIntChain(env, attributeCountNames('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT'), DEFAULT_LIMIT),
      attributeValueLengthLimit: readIntChain(env, valueLengthNames('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'), Infinity),
      eventCountLimit: readInt(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT', DEFAULT_LIMIT),
      linkCountLimit: readInt(env, 'OTEL_SPAN_LINK_COUNT_LIMIT', DEFAULT_LIMIT),
      // The general attribute limits apply to every model type (common.md), so they back these up too;
      // the *_PER_EVENT/LINK_* names are the legacy ones opentelemetry-js still reads.
      attributePerEventCountLimit: readIntChain(
        env,
        ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
        DEFAULT_LIMIT,
      ),
      attributePerLinkCountLimit: readIntChain(
        env,
        ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 'OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
        DEFAULT_LIMIT,
      ),
    },
    logRecordLimits: {
      attributeCountLimit: readIntChain(env, attributeCountNames('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT'), DEFAULT_LIMIT),
      attributeValueLengthLimit: readIntChain(env, valueLengthNames('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT'), Infinity),
    },
    enabledInstrumentations: readList(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS'),
    disabledInstrumentations: readList(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [],
    metricExportIntervalMs,
    metricExportTimeoutMs,
    metricsTemporalityPreference: readEnum(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', TEMPORALITIES, 'cumulative'),
    metricsExemplarFilter: readEnum(env, 'OTEL_METRICS_EXEMPLAR_FILTER', EXEMPLAR_FILTERS, 'trace_based'),
    // The spec's default is localhost (DESIGN.md mentioned 0.0.0.0; the spec wins).
    prometheusHost: readString(env, 'OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost',
    prometheusPort: readInt(env, 'OTEL_EXPORTER_PROMETHEUS_PORT', 9464, { max: 65535 }),
    semconvStabilityOptIn: readList(env, 'OTEL_SEMCONV_STABILITY_OPT_IN') ?? [],
  };
}

function readLogLevel(env: Env): LogLevel {
  // src/diag/log.ts already warned about a bad process.env.OTEL_LOG_LEVEL when it loaded; don't say it twice.
  const raw = readRaw(env, 'OTEL_LOG_LEVEL');
  const silent = raw !== undefined && raw === readRaw(process.env, 'OTEL_LOG_LEVEL');
  return readEnum(env, 'OTEL_LOG_LEVEL', LOG_LEVELS, 'info', { silent });
}

function readBatch(env: Env, prefix: 'OTEL_BSP' | 'OTEL_BLRP', defaults: BatchConfig): BatchConfig {
  const maxQueueSize = readInt(env, `${prefix}_MAX_QUEUE_SIZE`, defaults.maxQueueSize, { min: 1 });
  let maxExportBatchSize = readInt(env, `${prefix}_MAX_EXPORT_BATCH_SIZE`, defaults.maxExportBatchSize, { min: 1 });
  if (maxExportBatchSize > maxQueueSize) {
    // Only a value the user set is worth a warning; the default batch size just follows a smaller queue.
    if (readRaw(env, `${prefix}_MAX_EXPORT_BATCH_SIZE`) !== undefined) warnOnce(
      `config:${prefix}_MAX_EXPORT_BATCH_SIZE>${maxExportBatchSize}>${maxQueueSize}`,
      `${prefix}_MAX_EXPORT_BATCH_SIZE (${maxExportBatchSize}) exceeds ${prefix}_MAX_QUEUE_SIZE (${maxQueueSize}); using ${maxQueueSize}`,
    );
    maxExportBatchSize = maxQueueSize;
  }
  return {
    scheduleDelayMs: readDuration(env, `${prefix}_SCHEDULE_DELAY`, defaults.scheduleDelayMs),
    exportTimeoutMs: readDuration(env, `${prefix}_EXPORT_TIMEOUT`, defaults.exportTimeoutMs),
    maxQueueSize,
    maxExportBatchSize,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// --print-config

export type ConfigSource = 'flag' | 'env' | 'default';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly source: ConfigSource;
}

const list = (items: readonly string[] | undefined, empty = ''): string =>
  items === undefined || items.length === 0 ? empty : items.join(',');
const num = (n: number): string => (n === Infinity ? 'unlimited' : String(n));
const opt = (s: string | undefined): string => s ?? '';

/** Names whose values must never be printed as they are. */
const SECRET_NAME = /(_HEADERS$|PASSWORD|SECRET|TOKEN|API_?KEY|CREDENTIAL|AUTH)/;

/**
 * Every variable the launcher knows, with its effective value and where that value came from: `flag` when the
 * launcher set it from a command-line flag (`flagKeys`), `env` when it came from the environment, `default`
 * otherwise (also when the variable is set but invalid and was ignored). Per-signal OTLP entries show the
 * resolved per-signal value (which may come from the generic variable). Secrets are masked: header values
 * become `key=****`, URL credentials `REDACTED:REDACTED@`. Unknown OTEL_* variables present in `env` are
 * listed at the end.
 */
export function describeConfig(env: NodeJS.ProcessEnv, flagKeys: ReadonlySet<string>): ConfigEntry[] {
  const copy: Env = { ...env };
  const accepted = trackAcceptedVars(copy);
  const config = buildConfig(copy);
  // Values only the description needs (the generic OTLP settings on their own).
  const genericProtocol = resolveOtlpProtocol(copy, undefined);
  const genericHeaders = resolveOtlpHeaders(copy, undefined);
  const genericInsecure = readBool(copy, 'OTEL_EXPORTER_OTLP_INSECURE');

  const entries: ConfigEntry[] = [];
  const known = new Set<string>();
  const sourceOf = (names: readonly string[]): ConfigSource => {
    for (const name of names) {
      if (accepted.has(name)) return flagKeys.has(name) ? 'flag' : 'env';
    }
    return 'default';
  };
  const add = (name: string, value: string, from: readonly string[] = [name]): void => {
    known.add(name);
    entries.push({ name, value, source: sourceOf(from) });
  };

  add('OTEL_SDK_DISABLED', String(config.sdkDisabled));
  add('OTEL_LOG_LEVEL', config.logLevel);
  add(
    'OTEL_SERVICE_NAME',
    config.serviceName ?? config.resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME,
    config.serviceName === undefined && config.resourceAttributes['service.name'] !== undefined
      ? ['OTEL_RESOURCE_ATTRIBUTES']
      : ['OTEL_SERVICE_NAME'],
  );
  add(
    'OTEL_RESOURCE_ATTRIBUTES',
    Object.entries(config.resourceAttributes)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join(','),
  );
  add('OTEL_NODE_RESOURCE_DETECTORS', list(config.resourceDetectors, 'none'));
  add('OTEL_TRACES_EXPORTER', list(config.tracesExporters, 'none'));
  add('OTEL_METRICS_EXPORTER', list(config.metricsExporters, 'none'));
  add('OTEL_LOGS_EXPORTER', list(config.logsExporters, 'none'));

  // Generic OTLP settings, as set.
  const genericEndpoint = readRaw(copy, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  add('OTEL_EXPORTER_OTLP_PROTOCOL', genericProtocol);
  add(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    redactUrlSecrets(
      genericEndpoint !== undefined && accepted.has('OTEL_EXPORTER_OTLP_ENDPOINT')
        ? genericEndpoint
        : defaultOtlpEndpoint(genericProtocol),
    ),
  );
  add('OTEL_EXPORTER_OTLP_HEADERS', maskHeaderValues(genericHeaders));
  add('OTEL_EXPORTER_OTLP_COMPRESSION', readEnum(copy, 'OTEL_EXPORTER_OTLP_COMPRESSION', ['gzip', 'none'], 'none'));
  add('OTEL_EXPORTER_OTLP_TIMEOUT', String(readDuration(copy, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10000)));
  add('OTEL_EXPORTER_OTLP_INSECURE', String(genericInsecure));
  add('OTEL_EXPORTER_OTLP_CERTIFICATE', opt(readString(copy, 'OTEL_EXPORTER_OTLP_CERTIFICATE')));
  add('OTEL_EXPORTER_OTLP_CLIENT_KEY', opt(readString(copy, 'OTEL_EXPORTER_OTLP_CLIENT_KEY')));
  add('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', opt(readString(copy, 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE')));

  // Per-signal OTLP settings, resolved.
  for (const signal of OTLP_SIGNALS) {
    const o = config.otlp[signal];
    const v = (suffix: string): string => otlpVar(signal, suffix);
    const chain = (suffix: string): string[] => otlpChain(signal, suffix);
    const endpointFrom = chain('ENDPOINT');
    add(v('PROTOCOL'), o.protocol, chain('PROTOCOL'));
    add(v('ENDPOINT'), redactUrlSecrets(o.url), endpointFrom);
    add(v('HEADERS'), maskHeaderValues(o.headers), [v('HEADERS'), otlpVar(undefined, 'HEADERS')]);
    add(v('COMPRESSION'), o.compression, chain('COMPRESSION'));
    add(v('TIMEOUT'), String(o.timeoutMs), chain('TIMEOUT'));
    // grpc: INSECURE decides only for a scheme-less endpoint; otherwise the endpoint's scheme does.
    add(v('INSECURE'), String(o.insecure), [...chain('INSECURE'), ...endpointFrom]);
    add(v('CERTIFICATE'), opt(o.certificateFile), chain('CERTIFICATE'));
    add(v('CLIENT_KEY'), opt(o.clientKeyFile), chain('CLIENT_KEY'));
    add(v('CLIENT_CERTIFICATE'), opt(o.clientCertificateFile), chain('CLIENT_CERTIFICATE'));
  }

  add('OTEL_TRACES_SAMPLER', config.sampler);
  add('OTEL_TRACES_SAMPLER_ARG', String(config.samplerRatio));
  add('OTEL_PROPAGATORS', list(config.propagators, 'none'));
  for (const [prefix, batch] of [
    ['OTEL_BSP', config.bsp],
    ['OTEL_BLRP', config.blrp],
  ] as const) {
    add(`${prefix}_SCHEDULE_DELAY`, String(batch.scheduleDelayMs));
    add(`${prefix}_EXPORT_TIMEOUT`, String(batch.exportTimeoutMs));
    add(`${prefix}_MAX_QUEUE_SIZE`, String(batch.maxQueueSize));
    add(`${prefix}_MAX_EXPORT_BATCH_SIZE`, String(batch.maxExportBatchSize));
  }
  add('OTEL_ATTRIBUTE_COUNT_LIMIT', String(readInt(copy, 'OTEL_ATTRIBUTE_COUNT_LIMIT', DEFAULT_LIMIT)));
  add('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', num(readInt(copy, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', Infinity)));
  const limits = config.spanLimits;
  add('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', num(limits.attributeCountLimit), ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT']);
  add('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', num(limits.attributeValueLengthLimit), [
    'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  ]);
  add('OTEL_SPAN_EVENT_COUNT_LIMIT', num(limits.eventCountLimit));
  add('OTEL_SPAN_LINK_COUNT_LIMIT', num(limits.linkCountLimit));
  add('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', num(limits.attributePerEventCountLimit), [
    'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT',
    'OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT',
    'OTEL_ATTRIBUTE_COUNT_LIMIT',
  ]);
  add('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', num(limits.attributePerLinkCountLimit), [
    'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT',
    'OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT',
    'OTEL_ATTRIBUTE_COUNT_LIMIT',
  ]);
  add('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', num(config.logRecordLimits.attributeCountLimit), [
    'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT',
    'OTEL_ATTRIBUTE_COUNT_LIMIT',
  ]);
  add('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', num(config.logRecordLimits.attributeValueLengthLimit), [
    'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT',
    'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  ]);
  add('OTEL_NODE_ENABLED_INSTRUMENTATIONS', list(config.enabledInstrumentations));
  add('OTEL_NODE_DISABLED_INSTRUMENTATIONS', list(config.disabledInstrumentations));
  add('OTEL_METRIC_EXPORT_INTERVAL', String(config.metricExportIntervalMs));
  add('OTEL_METRIC_EXPORT_TIMEOUT', String(config.metricExportTimeoutMs));
  add('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', config.metricsTemporalityPreference);
  add('OTEL_METRICS_EXEMPLAR_FILTER', config.metricsExemplarFilter);
  add('OTEL_EXPORTER_PROMETHEUS_HOST', config.prometheusHost);
  add('OTEL_EXPORTER_PROMETHEUS_PORT', String(config.prometheusPort));
  add('OTEL_SEMCONV_STABILITY_OPT_IN', list(config.semconvStabilityOptIn));

  // Anything else OTEL_* that is set (legacy names, variables for instrumentations, typos): shown as given.
  for (const name of Object.keys(copy).sort()) {
    if (!name.startsWith('OTEL_') || known.has(name) || name === 'OTEL_INSTRUMENT_LAUNCHER_PID' || name === 'OTEL_INSTRUMENT_HANDOFF_FD') continue;
    const raw = readRaw(copy, name);
    if (raw === undefined) continue;
    entries.push({ name, value: maskUnknown(name, raw), source: flagKeys.has(name) ? 'flag' : 'env' });
  }
  return entries;
}

function maskUnknown(name: string, raw: string): string {
  if (!SECRET_NAME.test(name)) return redactUrlSecrets(raw);
  if (name.endsWith('_HEADERS')) {
    // Show the keys only; entries that are not key=value are hidden entirely.
    const keys = raw
      .split(',')
      .map((member) => member.trim())
      .filter((member) => member.indexOf('=') > 0)
      .map((member) => `${member.slice(0, member.indexOf('=')).trim()}=****`);
    return keys.join(',') || '****';
  }
  return '****';
}
