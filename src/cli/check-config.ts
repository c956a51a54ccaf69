// The launcher checks the configuration it hands to the app, so that each warning is said once per
// launch: here, before the app starts, and not again by the app or any node process it spawns (they
// see the mark and stay quiet; src/config/config-warnings.ts).

import { CONFIG_CHECKED_VAR, configFingerprint } from '../config/config-warnings.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { parseLogLevel, setLogLevel } from '../diag/log.js';
import { INSTRUMENTATION_NAMES, SETTINGS } from './flags.js';

/**
 * Warns about `env` (the child's) as the app would, then marks it as checked. `flagVariables`: set by flags.
 * Returns the configuration: the launcher reads its own settings from it.
 */
export function checkConfig(env: NodeJS.ProcessEnv, flagVariables: ReadonlySet<string>): Config {
  // The warnings follow the level the app gets, a --log_level flag included.
  const level = parseLogLevel(env.OTEL_LOG_LEVEL);
  if (level !== undefined) setLogLevel(level);
  const config = loadConfig(env, { extra: SETTINGS.all, flagVariables, instrumentationNames: INSTRUMENTATION_NAMES });
  env[CONFIG_CHECKED_VAR] = configFingerprint(env);
  return config;
}
