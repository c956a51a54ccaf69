// Settings: which instrumentations run (group "instrumentations") and what otel-instrument says about
// itself (group "diagnostics"). An instrumentation's own settings live in its folder (settings.ts).

import type { LogLevel } from '../../diag/log.js';
import { defineSetting } from '../setting.js';
import { names, oneOf } from '../setting-types.js';

export const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];

export const INSTRUMENTATION_SELECTION_SETTINGS = [
  defineSetting({
    env: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    aliases: ['instrumentations'],
    group: 'instrumentations',
    help: 'instrumentations to enable (comma list)',
    type: names(),
    default: undefined,
    defaultText: 'all',
  }),
  defineSetting({
    env: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    group: 'instrumentations',
    help: 'instrumentations to disable (comma list)',
    type: names(),
    default: undefined,
    defaultText: 'none',
  }),
  defineSetting({
    env: 'OTEL_SEMCONV_STABILITY_OPT_IN',
    group: 'instrumentations',
    help: 'semantic convention opt-ins (comma list), e.g. http/dup',
    type: names(),
    default: undefined,
  }),
];

export const LOG_LEVEL = defineSetting({
  env: 'OTEL_LOG_LEVEL',
  group: 'diagnostics',
  help: "otel-instrument's own diagnostics level",
  type: oneOf(LOG_LEVELS),
  default: 'info' as LogLevel,
});

export const DIAGNOSTICS_SETTINGS = [LOG_LEVEL];
