// Settings: when metrics are collected and how, and how log records are batched (group "logs-metrics").

import { defineSetting } from '../setting.js';
import { milliseconds, oneOf } from '../setting-types.js';
import { METRIC_EXPORT_INTERVAL_MS, METRIC_EXPORT_TIMEOUT_MS } from '../spec-defaults.js';
import { BLRP_SETTINGS } from './sampling-and-limits.js';

export const METRIC_EXPORT_INTERVAL = defineSetting({
  env: 'OTEL_METRIC_EXPORT_INTERVAL',
  group: 'logs-metrics',
  help: 'metric export interval in ms',
  type: milliseconds(1),
  default: METRIC_EXPORT_INTERVAL_MS,
});

export const METRIC_EXPORT_TIMEOUT = defineSetting({
  env: 'OTEL_METRIC_EXPORT_TIMEOUT',
  group: 'logs-metrics',
  help: 'metric export timeout in ms (at most the interval)',
  type: milliseconds(),
  default: METRIC_EXPORT_TIMEOUT_MS,
});

export const LOGS_AND_METRICS_SETTINGS = [
  METRIC_EXPORT_INTERVAL,
  METRIC_EXPORT_TIMEOUT,
  defineSetting({
    env: 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
    group: 'logs-metrics',
    help: 'metric temporality',
    type: oneOf(['cumulative', 'delta', 'lowmemory'] as const),
    default: 'cumulative' as 'cumulative' | 'delta' | 'lowmemory',
  }),
  defineSetting({
    env: 'OTEL_METRICS_EXEMPLAR_FILTER',
    group: 'logs-metrics',
    help: 'exemplar filter',
    type: oneOf(['trace_based', 'always_on', 'always_off'] as const),
    default: 'trace_based' as 'trace_based' | 'always_on' | 'always_off',
  }),
  ...BLRP_SETTINGS,
];
