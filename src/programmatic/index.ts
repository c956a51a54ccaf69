// require('otel-instrument') / import { start, shutdown } from 'otel-instrument': the SDK started from
// code, for apps that would rather not change their start command. The same SDK the preload starts,
// started once per process: if the preload (the launcher, `--require otel-instrument/register`) already
// did, start() changes nothing and says so.
//
// Options are the settings table's, named after their flags in camelCase (`service_name` becomes
// `serviceName`, `exporter_otlp_endpoint` becomes `exporterOtlpEndpoint`); like the launcher's flags
// they win over the environment. Call start() before the app loads what it wants instrumented: for an ES
// module app, in a file given to `node --import` (an app's static imports are all loaded before its first
// line runs; node:http and node:https are caught up, packages are not).

import { diag } from '../diag/log.js';
import { buildSettingsTable } from '../config/settings-table.js';
import { closestName } from '../config/closest-name.js';
import { INSTRUMENTATION_SETTINGS } from '../../instrumentations/registry.js';
import { claimStart, runningSdk, startSdkHere } from '../bootstrap/start-once.js';

export type OptionValue = string | number | boolean | readonly string[];
export type StartOptions = Readonly<Record<string, OptionValue | undefined>>;

/** `exporter_otlp_endpoint` -> `exporterOtlpEndpoint`. */
export function optionName(flag: string): string {
  return flag.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

let envByOption: Map<string, string> | undefined;

function optionVariables(): Map<string, string> {
  if (envByOption === undefined) {
    envByOption = new Map();
    for (const setting of buildSettingsTable(INSTRUMENTATION_SETTINGS).all) envByOption.set(optionName(setting.flag), setting.env);
  }
  return envByOption;
}

/** The environment the SDK starts from: the process's, with each option's variable set over it. */
export function optionsEnvironment(options: StartOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const variables = optionVariables();
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const variable = variables.get(name);
    if (variable === undefined) {
      const hint = closestName(name, variables.keys());
      diag.warn(`start(): unknown option ${name}, ignored${hint === undefined ? '' : `; did you mean ${hint}?`}`);
      continue;
    }
    env[variable] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return env;
}

/** Starts the SDK and the instrumentations, once per process. Never throws: a failure leaves the app uninstrumented. */
export function start(options: StartOptions = {}): void {
  if (!claimStart()) {
    if (Object.keys(options).length > 0) diag.warn('start(): already started (by the preload or an earlier start()); these options are ignored');
    return;
  }
  startSdkHere(optionsEnvironment(options));
  patchLinkedBuiltins();
}

/**
 * An ES module app's imports are linked before any of its code runs, start() included: its
 * `import http from 'node:http'` was bound already. The builtins we instrument are patched in place on
 * require (the object a default import holds), and Node copies them to the builtins' named exports on
 * request; packages imported before start() stay as they were (hence: start() from `--import`).
 */
function patchLinkedBuiltins(): void {
  try {
    for (const builtin of ['http', 'https']) require(builtin);
    (require('node:module') as typeof import('node:module')).syncBuiltinESMExports();
  } catch (error) {
    diag.debug(`start(): patching builtins already imported failed: ${String(error)}`);
  }
}

/** Sends what is pending and stops exporting; resolves when done (or at once when nothing runs). Never rejects. */
export async function shutdown(): Promise<void> {
  try {
    await runningSdk()?.shutdown();
  } catch (error) {
    diag.debug(`shutdown failed: ${String(error)}`);
  }
}
