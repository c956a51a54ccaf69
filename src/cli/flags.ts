// The launcher's flags come from the settings table (src/config/settings-table.ts), instrumentations'
// settings included. Python's opentelemetry-instrument rule: a flag is its variable's name without
// `OTEL_` (or `OTEL_NODE_`), lower-cased; `--traces_exporter` and `--traces-exporter` are the same flag;
// any other `--<name>` sets `OTEL_<NAME>`. A flag overrides the variable (in the child's environment only).

import { INSTRUMENTATION_SETTINGS, INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import type { Setting } from '../config/setting.js';
import { buildSettingsTable } from '../config/settings-table.js';

/** Every setting the launcher knows: src/config's and the instrumentations'. */
export const SETTINGS = buildSettingsTable(INSTRUMENTATION_SETTINGS);

export const INSTRUMENTATION_NAMES: readonly string[] = INSTRUMENTATIONS.map((entry) => entry.name);

/** The flags --help lists: per-signal OTLP variants are mentioned with their generic setting instead. */
export const FLAGS: readonly Setting[] = SETTINGS.all.filter((setting) => setting.signal === undefined);

/** OTEL_NODE_* variables we do not read but other tools do: `--<name>` maps there, not to OTEL_<NAME>. */
const OTHER_NODE_VARIABLES = new Set(['OTEL_NODE_EXPERIMENTAL_SDK_METRICS']);

const FLAG_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * `traces-exporter`, `Traces_Exporter` -> `traces_exporter`; undefined when the name cannot be a variable's
 * (`--1x`, `--a.b`, `---x`, `--`).
 */
export function normalizeFlagName(raw: string): string | undefined {
  const name = raw.replace(/-/g, '_').toLowerCase();
  return FLAG_NAME.test(name) ? name : undefined;
}

/** The table entry for a normalized flag name or alias. */
export function lookupFlag(name: string): Setting | undefined {
  return SETTINGS.byFlag.get(name);
}

/** The variable a normalized flag name sets: the table's, an OTEL_NODE_* one, or OTEL_<NAME>. */
export function envNameForFlag(name: string): string {
  const setting = SETTINGS.byFlag.get(name);
  if (setting !== undefined) return setting.env;
  const upper = name.toUpperCase();
  return OTHER_NODE_VARIABLES.has(`OTEL_NODE_${upper}`) ? `OTEL_NODE_${upper}` : `OTEL_${upper}`;
}
