// Python's rule lets any `--some_name` set OTEL_SOME_NAME, so a typo in a flag or a variable silently
// does nothing. We keep the rule, but say once when an unknown OTEL_* name is a typo's distance from one
// we know: `did you mean --service_name?`. Names far from every known one (other tools' variables) pass.

import { warnConfig } from './config-warnings.js';
import type { Env } from './env-readers.js';
import type { SettingsTable } from './settings-table.js';

/** Read outside the table: reported as unsupported (load-config.ts), not as unknown. */
const ALSO_KNOWN = ['OTEL_CONFIG_FILE', 'OTEL_EXPERIMENTAL_CONFIG_FILE'];

const PREFIX = 'OTEL_';

/**
 * Warns about each set OTEL_* variable we do not read that is close to one we do. A variable the
 * launcher set from a flag (`flagVariables`) is reported as the flag, with the closest flag.
 */
export function warnUnknownVariables(env: Env, table: SettingsTable, flagVariables: ReadonlySet<string>): void {
  let known: string[] | undefined;
  // Loaded only when there is an unknown name to compare (most launches have none).
  const closestName = (name: string, candidates: Iterable<string>): string | undefined =>
    (require('./closest-name.js') as typeof import('./closest-name.js')).closestName(name, candidates);
  for (const name of Object.keys(env)) {
    if (!name.startsWith(PREFIX) || name.startsWith('OTEL_INSTRUMENT_') || table.knownVariables.has(name) || ALSO_KNOWN.includes(name)) continue;
    if (env[name] === undefined || env[name]!.trim() === '') continue;
    if (flagVariables.has(name)) {
      const flag = name.slice(PREFIX.length).toLowerCase();
      const closest = closestName(flag, table.byFlag.keys());
      if (closest !== undefined) {
        warnConfig(`unknown:${name}`, `--${flag} sets ${name}, which otel-instrument does not read; did you mean --${closest}?`);
      }
      continue;
    }
    // Compared without the common prefix, so that its length does not make every name look close.
    known ??= [...table.knownVariables].map((variable) => variable.slice(PREFIX.length));
    const closest = closestName(name.slice(PREFIX.length), known);
    if (closest !== undefined) warnConfig(`unknown:${name}`, `unknown variable ${name}; did you mean ${PREFIX}${closest}?`);
  }
}
