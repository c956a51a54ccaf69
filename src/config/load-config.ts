// The frozen Config, built from OTEL_* variables by the settings table (settings-table.ts), and its
// description for `otel-instrument --print-config`. Never throws: bad values warn once and fall back.
// What is here beyond reading the table is the spec's rules that tie settings together: per-signal OTLP
// resolution (otlp-endpoint.ts), clamping a batch size to its queue and a metric timeout to its interval.

import type { LogLevel } from '../diag/log.js';
import { quietIfChecked, warnConfig } from './config-warnings.js';
import { type Env, readRaw, trackAcceptedVars, trackRejectedVars } from './env-readers.js';
import { maskRawHeaderList, redactUrlSecrets } from '../diag/redact.js';
import { proxyForEndpoint } from './proxy-for-endpoint.js';
import { OTLP_SIGNALS, defaultOtlpEndpoint, otlpChain, otlpVar, resolveOtlp, resolveOtlpProtocol } from './otlp-endpoint.js';
import { type Setting, namesOf } from './setting.js';
import { CORE_SETTINGS, type SettingsTable, buildSettingsTable } from './settings-table.js';
import { SERVICE_NAME } from './spec-defaults.js';
import type { BatchConfig, Config, OtlpSignalConfig, PropagatorName, SamplerName } from './types.js';
import { warnUnknownVariables } from './unknown-variables.js';

export interface LoadOptions {
  /** Settings beyond src/config's own: the instrumentations' (instrumentations/registry.ts). */
  readonly extra?: readonly Setting[];
  /** Variables the launcher set from flags: an unknown one is reported as the flag the user typed. */
  readonly flagVariables?: ReadonlySet<string>;
  /** The instrumentations we have: a name in OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS that is none of them warns. */
  readonly instrumentationNames?: readonly string[];
}

/**
 * Builds the configuration from `env`. Warnings (once per variable and value) go to stderr, unless the
 * launcher already checked these very values (config-warnings.ts).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  return quietIfChecked(env, () => {
    const table = buildSettingsTable(options.extra);
    warnUnknownVariables(env, table, options.flagVariables ?? new Set());
    const config = buildConfig(env, table).config;
    if (options.instrumentationNames !== undefined) warnUnknownInstrumentations(config, options.instrumentationNames);
    return deepFreeze(config);
  });
}

function warnUnknownInstrumentations(config: Config, known: readonly string[]): void {
  const check = (list: readonly string[] | undefined, variable: string): void => {
    for (const name of list ?? []) {
      if (!known.includes(name)) warnConfig(`config:${variable}:${name}`, `unknown instrumentation ${JSON.stringify(name)} in ${variable}; valid: ${known.join(', ')}`);
    }
  };
  check(config.enabledInstrumentations, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  check(config.disabledInstrumentations, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS');
}

interface Built {
  readonly config: Config;
  /** Every setting's effective value, by variable (resolved per-signal values, clamped sizes). */
  readonly values: ReadonlyMap<string, unknown>;
  /** Where a value came from when that is not the setting's own variables (service.name from the resource). */
  readonly sourceNames: ReadonlyMap<string, readonly string[]>;
  /** What else --print-config says of a value (the proxy an endpoint is reached through). */
  readonly extraNotes: ReadonlyMap<string, string>;
  readonly accepted: ReadonlySet<string>;
  readonly rejected: ReadonlyMap<string, string>;
}

function buildConfig(source: Env, table: SettingsTable): Built {
  // A copy, so that provenance is recorded for this build alone.
  const env: Env = { ...source };
  const accepted = trackAcceptedVars(env);
  const rejected = trackRejectedVars(env);
  const values = new Map<string, unknown>();
  const sourceNames = new Map<string, readonly string[]>();
  const extraNotes = new Map<string, string>();
  const get = <T>(name: string): T => {
    if (!values.has(name)) {
      const setting = table.byEnv.get(name);
      // A name missing from the table is our bug, found by every test that loads a config.
      if (setting === undefined) throw new Error(`${name} is not in the settings table`);
      values.set(name, setting.type.read(env, namesOf(setting), setting.default));
    }
    return values.get(name) as T;
  };
  const set = (name: string, value: unknown): void => {
    values.set(name, value);
  };

  const configFile = readRaw(env, 'OTEL_CONFIG_FILE') ?? readRaw(env, 'OTEL_EXPERIMENTAL_CONFIG_FILE');
  if (configFile !== undefined) {
    warnConfig('config:OTEL_CONFIG_FILE', 'OTEL_CONFIG_FILE (declarative configuration) is not supported; using environment variables');
  }

  const sampler = get<SamplerName>('OTEL_TRACES_SAMPLER');
  // The argument only means something to the ratio samplers; for the others it is not read.
  if (!sampler.endsWith('traceidratio')) set('OTEL_TRACES_SAMPLER_ARG', 1);

  const metricExportIntervalMs = get<number>('OTEL_METRIC_EXPORT_INTERVAL');
  let metricExportTimeoutMs = get<number>('OTEL_METRIC_EXPORT_TIMEOUT');
  if (metricExportTimeoutMs === 0 || metricExportTimeoutMs > metricExportIntervalMs) {
    // Only a timeout the user set is worth a warning; the default one just follows a shorter interval.
    if (readRaw(env, 'OTEL_METRIC_EXPORT_TIMEOUT') !== undefined) warnConfig(
      `config:OTEL_METRIC_EXPORT_TIMEOUT>${metricExportTimeoutMs}>${metricExportIntervalMs}`,
      `OTEL_METRIC_EXPORT_TIMEOUT (${metricExportTimeoutMs === 0 ? '0, no limit' : metricExportTimeoutMs}) exceeds OTEL_METRIC_EXPORT_INTERVAL (${metricExportIntervalMs}); using ${metricExportIntervalMs}`,
    );
    metricExportTimeoutMs = metricExportIntervalMs;
    set('OTEL_METRIC_EXPORT_TIMEOUT', metricExportTimeoutMs);
  }

  const otlp = resolveOtlp(env);
  describeOtlp(env, otlp, accepted, set, sourceNames, extraNotes);

  const resourceAttributes = get<Readonly<Record<string, string>>>('OTEL_RESOURCE_ATTRIBUTES');
  const serviceName = get<string | undefined>('OTEL_SERVICE_NAME');
  if (serviceName === undefined) {
    const fromResource = resourceAttributes['service.name'];
    set('OTEL_SERVICE_NAME', fromResource ?? SERVICE_NAME);
    if (fromResource !== undefined) sourceNames.set('OTEL_SERVICE_NAME', ['OTEL_RESOURCE_ATTRIBUTES']);
  }

  const config: Config = {
    sdkDisabled: get('OTEL_SDK_DISABLED'),
    logLevel: get<LogLevel>('OTEL_LOG_LEVEL'),
    serviceName,
    resourceAttributes: { ...resourceAttributes },
    resourceDetectors: [...get<readonly string[]>('OTEL_NODE_RESOURCE_DETECTORS')],
    tracesExporters: [...get<Config['tracesExporters']>('OTEL_TRACES_EXPORTER')],
    metricsExporters: [...get<Config['metricsExporters']>('OTEL_METRICS_EXPORTER')],
    logsExporters: [...get<Config['logsExporters']>('OTEL_LOGS_EXPORTER')],
    consoleFormat: get('OTEL_NODE_CONSOLE_FORMAT'),
    otlp,
    sampler,
    samplerRatio: get('OTEL_TRACES_SAMPLER_ARG'),
    propagators: [...get<readonly PropagatorName[]>('OTEL_PROPAGATORS')],
    bsp: readBatch(env, 'OTEL_BSP', get, set),
    blrp: readBatch(env, 'OTEL_BLRP', get, set),
    spanLimits: {
      attributeCountLimit: get('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT'),
      attributeValueLengthLimit: get('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
      eventCountLimit: get('OTEL_SPAN_EVENT_COUNT_LIMIT'),
      linkCountLimit: get('OTEL_SPAN_LINK_COUNT_LIMIT'),
      attributePerEventCountLimit: get('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
      attributePerLinkCountLimit: get('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
    },
    logRecordLimits: {
      attributeCountLimit: get('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT'),
      attributeValueLengthLimit: get('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    },
    enabledInstrumentations: copyList(get<readonly string[] | undefined>('OTEL_NODE_ENABLED_INSTRUMENTATIONS')),
    disabledInstrumentations: [...(get<readonly string[] | undefined>('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? [])],
    exitExportTimeoutMs: get('OTEL_NODE_EXIT_EXPORT_TIMEOUT'),
    metricExportIntervalMs,
    metricExportTimeoutMs,
    metricsTemporalityPreference: get('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'),
    metricsExemplarFilter: get('OTEL_METRICS_EXEMPLAR_FILTER'),
    prometheusHost: get<string | undefined>('OTEL_EXPORTER_PROMETHEUS_HOST')!,
    prometheusPort: get('OTEL_EXPORTER_PROMETHEUS_PORT'),
    semconvStabilityOptIn: [...(get<readonly string[] | undefined>('OTEL_SEMCONV_STABILITY_OPT_IN') ?? [])],
    instrumentationSettings: readInstrumentationSettings(table, get),
  };
  // Whatever is left (settings only --print-config shows on their own, e.g. the generic limits).
  for (const setting of table.all) get(setting.env);
  return { config, values, sourceNames, extraNotes, accepted, rejected };
}

const copyList = (items: readonly string[] | undefined): string[] | undefined => (items === undefined ? undefined : [...items]);

const CORE_NAMES = new Set(CORE_SETTINGS.map((setting) => setting.env));

/** The instrumentations' settings, parsed now so that a bad value is reported at startup (and by the launcher). */
function readInstrumentationSettings(table: SettingsTable, get: (name: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const setting of table.all) if (!CORE_NAMES.has(setting.env)) out[setting.env] = get(setting.env);
  return out;
}

type Get = <T>(name: string) => T;
type SetValue = (name: string, value: unknown) => void;

function readBatch(env: Env, prefix: 'OTEL_BSP' | 'OTEL_BLRP', get: Get, set: SetValue): BatchConfig {
  const maxQueueSize = get<number>(`${prefix}_MAX_QUEUE_SIZE`);
  let maxExportBatchSize = get<number>(`${prefix}_MAX_EXPORT_BATCH_SIZE`);
  if (maxExportBatchSize > maxQueueSize) {
    // Only a value the user set is worth a warning; the default batch size just follows a smaller queue.
    if (readRaw(env, `${prefix}_MAX_EXPORT_BATCH_SIZE`) !== undefined) warnConfig(
      `config:${prefix}_MAX_EXPORT_BATCH_SIZE>${maxExportBatchSize}>${maxQueueSize}`,
      `${prefix}_MAX_EXPORT_BATCH_SIZE (${maxExportBatchSize}) exceeds ${prefix}_MAX_QUEUE_SIZE (${maxQueueSize}); using ${maxQueueSize}`,
    );
    maxExportBatchSize = maxQueueSize;
    set(`${prefix}_MAX_EXPORT_BATCH_SIZE`, maxExportBatchSize);
  }
  return {
    scheduleDelayMs: get(`${prefix}_SCHEDULE_DELAY`),
    exportTimeoutMs: get(`${prefix}_EXPORT_TIMEOUT`),
    maxQueueSize,
    maxExportBatchSize,
  };
}

/** The OTLP settings' effective values: per signal as resolved, the generic endpoint as given (if valid). */
function describeOtlp(
  env: Env,
  otlp: Readonly<Record<string, OtlpSignalConfig>>,
  accepted: ReadonlySet<string>,
  set: SetValue,
  sourceNames: Map<string, readonly string[]>,
  extraNotes: Map<string, string>,
): void {
  const genericEndpoint = otlpVar(undefined, 'ENDPOINT');
  set(genericEndpoint, accepted.has(genericEndpoint) ? readRaw(env, genericEndpoint) : defaultOtlpEndpoint(resolveOtlpProtocol(env)));
  for (const signal of OTLP_SIGNALS) {
    const o = otlp[signal]!;
    const v = (suffix: string): string => otlpVar(signal, suffix);
    set(v('PROTOCOL'), o.protocol);
    set(v('ENDPOINT'), o.url);
    const proxy = proxyForEndpoint(env, o.url).note;
    if (proxy !== undefined) extraNotes.set(v('ENDPOINT'), proxy);
    set(v('HEADERS'), o.headers);
    set(v('COMPRESSION'), o.compression);
    set(v('TIMEOUT'), o.timeoutMs);
    set(v('INSECURE'), o.insecure);
    // grpc: INSECURE decides only for a scheme-less endpoint; otherwise the endpoint's scheme does.
    sourceNames.set(v('INSECURE'), [...otlpChain(signal, 'INSECURE'), ...otlpChain(signal, 'ENDPOINT')]);
    set(v('CERTIFICATE'), o.certificateFile);
    set(v('CLIENT_KEY'), o.clientKeyFile);
    set(v('CLIENT_CERTIFICATE'), o.clientCertificateFile);
  }
}

function deepFreeze<T>(value: T): T {
  // A RegExp stays unfrozen: exec() writes its lastIndex.
  if (value !== null && typeof value === 'object' && !(value instanceof RegExp) && !Object.isFrozen(value)) {
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
  /**
   * Why the value is what it is, when the source alone does not say: a given value that was invalid
   * (`"abc" is not a non-negative integer of milliseconds`), a value inherited from another variable
   * (`from OTEL_EXPORTER_OTLP_ENDPOINT`). Never a secret.
   */
  readonly notes: readonly string[];
}

/** Names whose values must never be printed as they are. */
const SECRET_NAME = /(_HEADERS$|PASSWORD|SECRET|TOKEN|API_?KEY|CREDENTIAL|AUTH)/;

/**
 * Every setting of the table with its effective value and where that value came from: `flag` when the
 * launcher set it from a command-line flag (`flagKeys`), `env` when it came from the environment,
 * `default` otherwise (also when the variable is set but invalid and was ignored; the notes say why).
 * Per-signal OTLP entries show the resolved per-signal value. Secrets are masked: header values become
 * `key=****`, URL credentials `REDACTED:REDACTED@`. Unknown OTEL_* variables present in `env` are listed
 * at the end.
 */
export function describeConfig(env: NodeJS.ProcessEnv, flagKeys: ReadonlySet<string>, extra: readonly Setting[] = []): ConfigEntry[] {
  const table = buildSettingsTable(extra);
  const built = buildConfig(env, table);
  const entries: ConfigEntry[] = [];
  for (const setting of table.all) {
    const names = built.sourceNames.get(setting.env) ?? namesOf(setting);
    const from = names.find((name) => built.accepted.has(name));
    const notes: string[] = [];
    for (const name of names) {
      if (name === from) break;
      const reason = built.rejected.get(name);
      if (reason !== undefined) notes.push(name === setting.env ? reason : `${name}: ${reason}`);
    }
    if (from !== undefined && from !== setting.env) notes.push(`from ${from}`);
    const extra = built.extraNotes.get(setting.env);
    if (extra !== undefined) notes.push(extra);
    entries.push({
      name: setting.env,
      value: setting.type.show(built.values.get(setting.env)),
      source: from === undefined ? 'default' : flagKeys.has(from) ? 'flag' : 'env',
      notes,
    });
  }
  // Anything else OTEL_* that is set (variables of other tools, typos): shown as given, secrets masked.
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('OTEL_') || table.knownVariables.has(name) || name.startsWith('OTEL_INSTRUMENT_')) continue;
    const raw = readRaw(env, name);
    if (raw === undefined) continue;
    entries.push({ name, value: maskUnknown(name, raw), source: flagKeys.has(name) ? 'flag' : 'env', notes: [] });
  }
  return entries;
}

function maskUnknown(name: string, raw: string): string {
  if (!SECRET_NAME.test(name)) return redactUrlSecrets(raw);
  if (name.endsWith('_HEADERS')) return maskRawHeaderList(raw);
  return '****';
}
