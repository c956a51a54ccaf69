// Settings: which spans are kept, how they are batched, and how big telemetry may get (group "sampling").

import { defineSetting } from '../setting.js';
import { decimal, integer, milliseconds, oneOf } from '../setting-types.js';
import {
  BATCH_EXPORT_TIMEOUT_MS,
  BATCH_MAX_EXPORT_BATCH_SIZE,
  BATCH_MAX_QUEUE_SIZE,
  BLRP_SCHEDULE_DELAY_MS,
  BSP_SCHEDULE_DELAY_MS,
  COUNT_LIMIT,
} from '../spec-defaults.js';
import type { SamplerName } from '../types.js';
import type { SettingGroup } from '../setting.js';

export const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export const TRACES_SAMPLER = defineSetting({
  env: 'OTEL_TRACES_SAMPLER',
  group: 'sampling',
  help: 'sampler',
  type: oneOf(SAMPLERS, ['jaeger_remote', 'parentbased_jaeger_remote', 'xray']),
  default: 'parentbased_always_on' as SamplerName,
});

export const TRACES_SAMPLER_ARG = defineSetting({
  env: 'OTEL_TRACES_SAMPLER_ARG',
  group: 'sampling',
  help: 'sampling ratio for the *traceidratio samplers, 0..1',
  type: decimal(0, 1),
  default: 1,
});

/** OTEL_BSP_* (spans) and OTEL_BLRP_* (log records): the same four settings. */
export function batchSettings(prefix: 'OTEL_BSP' | 'OTEL_BLRP', group: SettingGroup, items: string, scheduleDelayMs: number) {
  return [
    defineSetting({ env: `${prefix}_SCHEDULE_DELAY`, group, help: `${items} batch delay in ms`, type: milliseconds(), default: scheduleDelayMs }),
    defineSetting({
      env: `${prefix}_EXPORT_TIMEOUT`,
      group,
      help: `${items} batch export timeout in ms (0: no limit)`,
      type: milliseconds(),
      default: BATCH_EXPORT_TIMEOUT_MS,
    }),
    defineSetting({ env: `${prefix}_MAX_QUEUE_SIZE`, group, help: `${items} queue size`, type: integer({ min: 1 }), default: BATCH_MAX_QUEUE_SIZE }),
    defineSetting({
      env: `${prefix}_MAX_EXPORT_BATCH_SIZE`,
      group,
      help: `${items}s per export (at most the queue size)`,
      type: integer({ min: 1 }),
      default: BATCH_MAX_EXPORT_BATCH_SIZE,
    }),
  ] as const;
}

export const BSP_SETTINGS = batchSettings('OTEL_BSP', 'sampling', 'span', BSP_SCHEDULE_DELAY_MS);
export const BLRP_SETTINGS = batchSettings('OTEL_BLRP', 'logs-metrics', 'log record', BLRP_SCHEDULE_DELAY_MS);

const COUNT = 'OTEL_ATTRIBUTE_COUNT_LIMIT';
const LENGTH = 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT';
const count = (env: string, help: string, fallsBackTo: readonly string[] = []) =>
  defineSetting({ env, group: 'sampling', help, type: integer(), default: COUNT_LIMIT, fallsBackTo });
const length = (env: string, help: string, fallsBackTo: readonly string[] = []) =>
  defineSetting({ env, group: 'sampling', help, type: integer(), default: Infinity, fallsBackTo });

// The general attribute limits apply to every model type (common.md), so they back up the specific
// ones; the *_PER_EVENT/LINK_* names are the legacy ones opentelemetry-js still reads.
export const LIMIT_SETTINGS = [
  count(COUNT, 'attributes per span, event, link, log record'),
  length(LENGTH, 'attribute value length'),
  count('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'attributes per span', [COUNT]),
  length('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'span attribute value length', [LENGTH]),
  count('OTEL_SPAN_EVENT_COUNT_LIMIT', 'events per span'),
  count('OTEL_SPAN_LINK_COUNT_LIMIT', 'links per span'),
  count('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'attributes per span event', ['OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT', COUNT]),
  count('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 'attributes per span link', ['OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT', COUNT]),
  count('OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', 'attributes per log record', [COUNT]),
  length('OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'log attribute value length', [LENGTH]),
] as const;

export const SAMPLING_SETTINGS = [TRACES_SAMPLER, TRACES_SAMPLER_ARG, ...BSP_SETTINGS, ...LIMIT_SETTINGS];
