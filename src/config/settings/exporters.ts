// Settings: what is exported where, and what describes the process (group "exporters").

import { defineSetting } from '../setting.js';
import { bool, integer, keyValues, listOf, oneOf, text } from '../setting-types.js';
import { PROMETHEUS_HOST, PROMETHEUS_PORT, SERVICE_NAME } from '../spec-defaults.js';

export const RESOURCE_DETECTORS = ['env', 'host', 'os', 'process', 'package', 'serviceinstance', 'container'] as const;

const exporters = (env: string, signal: string, allowed: readonly string[], unsupported: readonly string[]) =>
  defineSetting({
    env,
    group: 'exporters',
    help: `${signal} exporters (comma list)`,
    type: listOf({ allowed, none: true, unsupported }),
    default: ['otlp'],
  });

export const EXPORTER_SETTINGS = [
  defineSetting({
    env: 'OTEL_SERVICE_NAME',
    group: 'exporters',
    help: "service.name of this process (unset: the name in the app's package.json, else the default)",
    type: text,
    default: undefined,
    defaultText: SERVICE_NAME,
  }),
  defineSetting({
    env: 'OTEL_RESOURCE_ATTRIBUTES',
    group: 'exporters',
    help: 'resource attributes, k1=v1,k2=v2 (percent-encoded)',
    // One bad entry discards the whole value (resource/sdk.md).
    type: keyValues({ onError: 'discard' }),
    default: {},
  }),
  defineSetting({
    env: 'OTEL_NODE_RESOURCE_DETECTORS',
    group: 'exporters',
    help: 'resource detectors (comma list; no cloud metadata calls unless asked)',
    type: listOf<string>({
      allowed: RESOURCE_DETECTORS,
      none: true,
      expand: { all: RESOURCE_DETECTORS },
      unsupported: ['alibaba', 'aws', 'azure', 'gcp'],
    }),
    // package: service.name and service.version from the app's package.json when not configured.
    default: ['env', 'host', 'os', 'process', 'package'],
  }),
  exporters('OTEL_TRACES_EXPORTER', 'trace', ['otlp', 'console'], ['zipkin', 'jaeger', 'otlp/stdout', 'logging']),
  exporters('OTEL_METRICS_EXPORTER', 'metric', ['otlp', 'prometheus', 'console'], ['otlp/stdout', 'logging']),
  exporters('OTEL_LOGS_EXPORTER', 'log', ['otlp', 'console'], ['otlp/stdout', 'logging']),
  defineSetting({
    env: 'OTEL_NODE_CONSOLE_FORMAT',
    group: 'exporters',
    help: 'how the console trace and log exporters print: json lines, or tree (each trace as an indented tree, logs under their spans)',
    type: oneOf(['json', 'tree'] as const),
    default: 'json' as 'json' | 'tree',
  }),
  defineSetting({
    env: 'OTEL_EXPORTER_PROMETHEUS_HOST',
    group: 'exporters',
    help: 'prometheus exporter host (0.0.0.0 serves other hosts)',
    type: text,
    default: PROMETHEUS_HOST,
  }),
  defineSetting({
    env: 'OTEL_EXPORTER_PROMETHEUS_PORT',
    group: 'exporters',
    help: 'prometheus exporter port',
    type: integer({ max: 65535 }),
    default: PROMETHEUS_PORT,
  }),
  defineSetting({
    env: 'OTEL_SDK_DISABLED',
    group: 'exporters',
    help: 'disable the SDK (propagation stays on)',
    type: bool,
    default: false,
  }),
];
