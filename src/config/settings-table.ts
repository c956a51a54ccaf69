// THE table of settings: every variable otel-instrument reads, in the order --help, --print-config and
// the README list them. Env parsing (load-config.ts), the CLI flags and --help (src/cli), --print-config
// and the README's table all come from it. Instrumentations add theirs through the registry
// (instrumentations/<name>/settings.ts), passed in as `extra`.

import { otlpChain, otlpVar, OTLP_SIGNALS } from './otlp-endpoint.js';
import { type Setting, SETTING_GROUPS, flagNameOf, namesOf } from './setting.js';
import { EXPORTER_SETTINGS } from './settings/exporters.js';
import { DIAGNOSTICS_SETTINGS, INSTRUMENTATION_SELECTION_SETTINGS } from './settings/instrumentations-and-diagnostics.js';
import { LOGS_AND_METRICS_SETTINGS } from './settings/logs-and-metrics.js';
import { OTLP_SETTINGS } from './settings/otlp-connection.js';
import { PROPAGATION_SETTINGS } from './settings/propagation.js';
import { SAMPLING_SETTINGS } from './settings/sampling-and-limits.js';
import { VIEW_SETTINGS } from './settings/view.js';

/** OTEL_EXPORTER_OTLP_<SIGNAL>_<X> for a generic OTLP setting: same kind and default, inheriting from it. */
function perSignal(generic: Setting): Setting[] {
  const suffix = generic.env.slice('OTEL_EXPORTER_OTLP_'.length);
  return OTLP_SIGNALS.map((signal) => {
    const env = otlpVar(signal, suffix);
    return {
      ...generic,
      env,
      flag: flagNameOf(env),
      help: `${generic.help}, for ${signal}`,
      fallsBackTo: otlpChain(signal, suffix).slice(1),
      perSignal: false,
      signal,
      inherits: generic.env,
    };
  });
}

const GROUP_ORDER = Object.keys(SETTING_GROUPS);

function withPerSignal(settings: readonly Setting[]): Setting[] {
  const generic = settings.filter((s) => s.perSignal === true);
  return [...settings, ...OTLP_SIGNALS.flatMap((_, i) => generic.flatMap((s) => perSignal(s)[i]!))];
}

/** The settings of src/config, without any instrumentation's. */
export const CORE_SETTINGS: readonly Setting[] = withPerSignal([
  ...EXPORTER_SETTINGS,
  ...OTLP_SETTINGS,
  ...SAMPLING_SETTINGS,
  ...PROPAGATION_SETTINGS,
  ...INSTRUMENTATION_SELECTION_SETTINGS,
  ...LOGS_AND_METRICS_SETTINGS,
  ...DIAGNOSTICS_SETTINGS,
  ...VIEW_SETTINGS,
] as Setting[]);

export interface SettingsTable {
  /** Grouped in SETTING_GROUPS order, each group in declaration order. */
  readonly all: readonly Setting[];
  readonly byEnv: ReadonlyMap<string, Setting>;
  /** By flag name and alias (underscores). */
  readonly byFlag: ReadonlyMap<string, Setting>;
  /** Every variable read, including the legacy and generic names settings fall back to. */
  readonly knownVariables: ReadonlySet<string>;
}

/** The core settings plus `extra` (an instrumentation's); a variable declared twice is listed once. */
export function buildSettingsTable(extra: readonly Setting[] = []): SettingsTable {
  const byEnv = new Map<string, Setting>();
  for (const setting of [...CORE_SETTINGS, ...extra]) if (!byEnv.has(setting.env)) byEnv.set(setting.env, setting);
  const all = [...byEnv.values()].sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
  const byFlag = new Map<string, Setting>();
  const knownVariables = new Set<string>();
  for (const setting of all) {
    for (const name of [setting.flag, ...(setting.aliases ?? [])]) byFlag.set(name, setting);
    for (const name of namesOf(setting)) knownVariables.add(name);
  }
  return { all, byEnv, byFlag, knownVariables };
}
