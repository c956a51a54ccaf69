// What one setting is: the shape of an entry in the settings table (src/config/settings-table.ts).
// An entry says everything the launcher needs to know about a variable: how to read it, its default,
// its flag and help text, where --help and the README list it, and whether its value is a secret.

import type { Env } from './env-readers.js';
import type { Signal } from './types.js';

/** Where --help and the README list a setting, in this order. */
export const SETTING_GROUPS = {
  exporters: 'Exporters and resource',
  otlp: 'OTLP connection',
  sampling: 'Sampling and limits',
  propagation: 'Propagation',
  instrumentations: 'Instrumentations',
  'logs-metrics': 'Logs and metrics',
  diagnostics: 'Diagnostics',
  view: 'Local viewer',
} as const;

export type SettingGroup = keyof typeof SETTING_GROUPS;

/** How a variable's text becomes a value (see src/config/setting-types.ts for the kinds we have). */
export interface SettingType<T> {
  /**
   * The value of the first variable of `names` that is set and valid, else `fallback`. Set-but-invalid
   * variables warn once (one line naming the variable and the value used instead). Never throws.
   */
  read(env: Env, names: readonly string[], fallback: T): T;
  /** The value as --print-config shows it (secrets masked). */
  show(value: T): string;
  /** Allowed values, listed by --help and the README. */
  readonly values?: readonly string[];
}

export interface SettingSpec<T> {
  /** The variable: `OTEL_TRACES_EXPORTER`. */
  readonly env: string;
  /** Other flag names for it (`instrumentations`); the flag itself follows Python's rule (flagNameOf). */
  readonly aliases?: readonly string[];
  readonly group: SettingGroup;
  /** One short line for --help and the README. */
  readonly help: string;
  readonly type: SettingType<T>;
  readonly default: T;
  /** The default as a person should read it, when `type.show(default)` is not that (e.g. `all`). */
  readonly defaultText?: string;
  /** Its value must never be printed (header values; URL credentials are always redacted anyway). */
  readonly secret?: boolean;
  /** Read after `env` when it is unset or invalid, most specific first (per-signal, obsolete, generic). */
  readonly fallsBackTo?: readonly string[];
  /** OTLP: also read per signal as OTEL_EXPORTER_OTLP_<SIGNAL>_<X>, which inherits from this one. */
  readonly perSignal?: boolean;
}

export interface Setting<T = unknown> extends SettingSpec<T> {
  /** Python's rule: the variable without `OTEL_` (or `OTEL_NODE_`), lower-cased. */
  readonly flag: string;
  /** Per-signal OTLP settings: the signal, and the generic setting they inherit from. */
  readonly signal?: Signal;
  readonly inherits?: string;
}

/** `OTEL_NODE_ENABLED_INSTRUMENTATIONS` -> `enabled_instrumentations`; `OTEL_BSP_SCHEDULE_DELAY` -> `bsp_schedule_delay`. */
export function flagNameOf(env: string): string {
  return env.replace(/^OTEL_(NODE_)?/, '').toLowerCase();
}

/** One table entry. Adding a setting is one call of this. */
export function defineSetting<T>(spec: SettingSpec<T>): Setting<T> {
  return { ...spec, flag: flagNameOf(spec.env) };
}

/** The names a setting reads, in order. */
export function namesOf(setting: Setting<unknown>): readonly string[] {
  return [setting.env, ...(setting.fallsBackTo ?? [])];
}

/** The default as --help and the README write it. */
export function defaultTextOf(setting: Setting<unknown>): string {
  return setting.defaultText ?? setting.type.show(setting.default);
}
