// THE table of launcher flags: it drives argument parsing and --help.
// Python's opentelemetry-instrument rule: a flag is its variable's name without `OTEL_` (or `OTEL_NODE_`),
// lower-cased; `--traces_exporter` and `--traces-exporter` are the same flag; any other `--<name>` sets
// `OTEL_<NAME>`. A flag overrides the variable (in the child's environment only).

export interface FlagSpec {
  /** Canonical spelling, underscores: `traces_exporter`. */
  readonly flag: string;
  readonly env: string;
  /** Shown in --help; '' when there is none. */
  readonly defaultText: string;
  /** Allowed values, shown in --help (not enforced here: the SDK warns about bad values). */
  readonly values?: string;
  readonly help: string;
  readonly aliases?: readonly string[];
  /** 'main': the DESIGN.md table, listed first. */
  readonly group: 'main' | 'more';
}

const main = (flag: string, env: string, defaultText: string, help: string, values?: string, aliases?: string[]): FlagSpec => ({
  flag,
  env,
  defaultText,
  help,
  values,
  aliases,
  group: 'main',
});
const more = (flag: string, env: string, defaultText: string, help: string, values?: string): FlagSpec => ({
  flag,
  env,
  defaultText,
  help,
  values,
  group: 'more',
});

export const FLAGS: readonly FlagSpec[] = [
  main('service_name', 'OTEL_SERVICE_NAME', 'unknown_service:node', 'service.name of this process'),
  main('resource_attributes', 'OTEL_RESOURCE_ATTRIBUTES', '', 'resource attributes, k1=v1,k2=v2 (percent-encoded)'),
  main('traces_exporter', 'OTEL_TRACES_EXPORTER', 'otlp', 'trace exporters (comma list)', 'otlp, console, none'),
  main('metrics_exporter', 'OTEL_METRICS_EXPORTER', 'otlp', 'metric exporters (comma list)', 'otlp, prometheus, console, none'),
  main('logs_exporter', 'OTEL_LOGS_EXPORTER', 'otlp', 'log exporters (comma list)', 'otlp, console, none'),
  main(
    'exporter_otlp_endpoint',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'http://localhost:4317 (grpc), http://localhost:4318 (http)',
    'OTLP endpoint (for http, /v1/<signal> is appended)',
  ),
  main('exporter_otlp_protocol', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'OTLP protocol', 'grpc, http/protobuf, http/json'),
  main('exporter_otlp_headers', 'OTEL_EXPORTER_OTLP_HEADERS', '', 'OTLP headers, k1=v1,k2=v2 (percent-encoded)'),
  main('exporter_otlp_compression', 'OTEL_EXPORTER_OTLP_COMPRESSION', 'none', 'OTLP compression', 'gzip, none'),
  main('exporter_otlp_timeout', 'OTEL_EXPORTER_OTLP_TIMEOUT', '10000', 'OTLP export timeout in ms (0: no limit)'),
  main(
    'traces_sampler',
    'OTEL_TRACES_SAMPLER',
    'parentbased_always_on',
    'sampler',
    'always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
  ),
  main('traces_sampler_arg', 'OTEL_TRACES_SAMPLER_ARG', '1.0', 'sampling ratio for the *traceidratio samplers, 0..1'),
  main('propagators', 'OTEL_PROPAGATORS', 'tracecontext,baggage', 'propagators (comma list)', 'tracecontext, baggage, b3, b3multi, jaeger, none'),
  main(
    'enabled_instrumentations',
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    'all',
    'instrumentations to enable (comma list)',
    undefined,
    ['instrumentations'],
  ),
  main('disabled_instrumentations', 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', 'none', 'instrumentations to disable (comma list)'),
  main(
    'resource_detectors',
    'OTEL_NODE_RESOURCE_DETECTORS',
    'env,host,os,process',
    'resource detectors (comma list)',
    'env, host, os, process, serviceinstance, container, all, none',
  ),
  main('log_level', 'OTEL_LOG_LEVEL', 'info', "otel-instrument's own diagnostics level", 'none, error, warn, info, debug, verbose, all'),

  more('sdk_disabled', 'OTEL_SDK_DISABLED', 'false', 'disable the SDK (propagation stays on)', 'true, false'),
  more('exporter_otlp_insecure', 'OTEL_EXPORTER_OTLP_INSECURE', 'false', 'grpc without TLS for a scheme-less host:port endpoint', 'true, false'),
  more('exporter_otlp_certificate', 'OTEL_EXPORTER_OTLP_CERTIFICATE', '', 'PEM file of trusted CA certificates'),
  more('exporter_otlp_client_key', 'OTEL_EXPORTER_OTLP_CLIENT_KEY', '', 'PEM file of the client private key (mTLS)'),
  more('exporter_otlp_client_certificate', 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', '', 'PEM file of the client certificate (mTLS)'),
  more('bsp_schedule_delay', 'OTEL_BSP_SCHEDULE_DELAY', '5000', 'span batch delay in ms'),
  more('bsp_export_timeout', 'OTEL_BSP_EXPORT_TIMEOUT', '30000', 'span batch export timeout in ms (0: no limit)'),
  more('bsp_max_queue_size', 'OTEL_BSP_MAX_QUEUE_SIZE', '2048', 'span queue size'),
  more('bsp_max_export_batch_size', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '512', 'spans per export (at most the queue size)'),
  more('blrp_schedule_delay', 'OTEL_BLRP_SCHEDULE_DELAY', '1000', 'log batch delay in ms'),
  more('blrp_export_timeout', 'OTEL_BLRP_EXPORT_TIMEOUT', '30000', 'log batch export timeout in ms (0: no limit)'),
  more('blrp_max_queue_size', 'OTEL_BLRP_MAX_QUEUE_SIZE', '2048', 'log record queue size'),
  more('blrp_max_export_batch_size', 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', '512', 'log records per export (at most the queue size)'),
  more('metric_export_interval', 'OTEL_METRIC_EXPORT_INTERVAL', '60000', 'metric export interval in ms'),
  more('metric_export_timeout', 'OTEL_METRIC_EXPORT_TIMEOUT', '30000', 'metric export timeout in ms (at most the interval)'),
  more(
    'exporter_otlp_metrics_temporality_preference',
    'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
    'cumulative',
    'metric temporality',
    'cumulative, delta, lowmemory',
  ),
  more('metrics_exemplar_filter', 'OTEL_METRICS_EXEMPLAR_FILTER', 'trace_based', 'exemplar filter', 'trace_based, always_on, always_off'),
  more('exporter_prometheus_host', 'OTEL_EXPORTER_PROMETHEUS_HOST', 'localhost', 'prometheus exporter host'),
  more('exporter_prometheus_port', 'OTEL_EXPORTER_PROMETHEUS_PORT', '9464', 'prometheus exporter port'),
  more('attribute_count_limit', 'OTEL_ATTRIBUTE_COUNT_LIMIT', '128', 'attributes per span, event, link, log record'),
  more('attribute_value_length_limit', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'unlimited', 'attribute value length'),
  more('span_attribute_count_limit', 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', '128', 'attributes per span'),
  more('span_attribute_value_length_limit', 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'unlimited', 'span attribute value length'),
  more('span_event_count_limit', 'OTEL_SPAN_EVENT_COUNT_LIMIT', '128', 'events per span'),
  more('span_link_count_limit', 'OTEL_SPAN_LINK_COUNT_LIMIT', '128', 'links per span'),
  more('event_attribute_count_limit', 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', '128', 'attributes per span event'),
  more('link_attribute_count_limit', 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', '128', 'attributes per span link'),
  more('logrecord_attribute_count_limit', 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', '128', 'attributes per log record'),
  more('logrecord_attribute_value_length_limit', 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'unlimited', 'log attribute value length'),
  more('semconv_stability_opt_in', 'OTEL_SEMCONV_STABILITY_OPT_IN', '', 'semantic convention opt-ins (comma list), e.g. http/dup'),
];

/** Flags of the launcher itself (no value, no variable). */
export const LAUNCHER_FLAGS = ['help', 'version', 'print_config'] as const;

/** OTEL_NODE_* variables: their flags drop `OTEL_NODE_`, so `--<name>` maps there, not to OTEL_<NAME>. */
const NODE_VARIABLES = new Set([
  'OTEL_NODE_RESOURCE_DETECTORS',
  'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  'OTEL_NODE_EXPERIMENTAL_SDK_METRICS',
]);

const BY_NAME = new Map<string, FlagSpec>();
for (const spec of FLAGS) {
  BY_NAME.set(spec.flag, spec);
  for (const alias of spec.aliases ?? []) BY_NAME.set(alias, spec);
}

const FLAG_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * `traces-exporter`, `Traces_Exporter` -> `traces_exporter`; undefined when the name cannot be a variable's
 * (`--1x`, `--a.b`, `---x`, `--`).
 */
export function normalizeFlagName(raw: string): string | undefined {
  const name = raw.replace(/-/g, '_').toLowerCase();
  return FLAG_NAME.test(name) ? name : undefined;
}

/** The table entry for a normalized name or alias. */
export function lookupFlag(name: string): FlagSpec | undefined {
  return BY_NAME.get(name);
}

/** The variable a normalized flag name sets: the table's, an OTEL_NODE_* one, or OTEL_<NAME>. */
export function envNameForFlag(name: string): string {
  const spec = BY_NAME.get(name);
  if (spec !== undefined) return spec.env;
  const upper = name.toUpperCase();
  return NODE_VARIABLES.has(`OTEL_NODE_${upper}`) ? `OTEL_NODE_${upper}` : `OTEL_${upper}`;
}
