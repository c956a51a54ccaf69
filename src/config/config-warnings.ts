// Configuration warnings are said once per launch: the launcher checks the configuration it hands to
// the app, warns, and marks the environment with a fingerprint of the OTEL_* values it checked. A
// process whose OTEL_* values still have that fingerprint (the app, a node child it spawns) stays quiet
// about them; one whose values differ (the app changed them for a child), or that has no mark
// (`node --require otel-instrument/register` by hand), checks and warns itself.

import { warnOnce } from '../diag/log.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The launcher's mark: the fingerprint of the OTEL_* values it checked. */
export const CONFIG_CHECKED_VAR = 'OTEL_INSTRUMENT_CONFIG_CHECKED';

/** Launcher-internal variables (pid, handoff fd, this mark): not settings, not fingerprinted. */
export const INTERNAL_PREFIX = 'OTEL_INSTRUMENT_';

let muted = false;

/** A configuration warning: once per key, and not at all in a process whose configuration was checked. */
export function warnConfig(key: string, message: string): void {
  if (!muted) warnOnce(key, message);
}

/** Runs `build` with configuration warnings muted when `env` carries a matching mark. */
export function quietIfChecked<T>(env: Env, build: () => T): T {
  const before = muted;
  muted = before || (env[CONFIG_CHECKED_VAR] !== undefined && env[CONFIG_CHECKED_VAR] === configFingerprint(env));
  try {
    return build();
  } finally {
    muted = before;
  }
}

/**
 * FNV-1a (32-bit) over the sorted `name=value` pairs of the OTEL_* settings. Not a secret and not
 * security: a collision only silences warnings someone else has already printed. Cheaper at startup
 * than loading node:crypto.
 */
export function configFingerprint(env: Env): string {
  let hash = 0x811c9dc5;
  const names = Object.keys(env)
    .filter((name) => name.startsWith('OTEL_') && !name.startsWith(INTERNAL_PREFIX) && env[name] !== undefined)
    .sort();
  for (const name of names) {
    const pair = `${name}=${env[name]!}\0`;
    for (let i = 0; i < pair.length; i++) {
      hash ^= pair.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}
