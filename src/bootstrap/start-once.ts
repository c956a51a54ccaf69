// The SDK starts once per process (per thread), by whichever comes first: the preload
// (`--require otel-instrument/register`, the launcher) or the app's own start(). Kept on globalThis under
// registered symbols, so two copies of this package in one process still start one SDK.

import { diag } from '../diag/log.js';
import type { StartedSdk } from './start-sdk.js';

const STARTED = Symbol.for('otel-instrument.started');
const SDK = Symbol.for('otel-instrument.sdk');
const globals = globalThis as Record<symbol, unknown>;

/** True for the caller that is to start the SDK; false when something already did (or is doing so). */
export function claimStart(): boolean {
  if (globals[STARTED] === true) return false;
  globals[STARTED] = true;
  return true;
}

/** What started, for the app's shutdown(); undefined when the SDK is disabled or failed to start. */
export function setRunningSdk(sdk: StartedSdk | undefined): void {
  globals[SDK] = sdk;
}

export function runningSdk(): StartedSdk | undefined {
  return globals[SDK] as StartedSdk | undefined;
}

/**
 * Starts the SDK from `env` (the preload: the process's; the app's start(): its options over it), with
 * the ESM hooks when the entry point is an ES module. Never throws: a failure of ours leaves the app
 * running uninstrumented, with one warning.
 */
export function startSdkHere(env: NodeJS.ProcessEnv = process.env): void {
  try {
    const started = (require('./start.js') as typeof import('./start.js')).start(env);
    if (started !== undefined && (require('../hook/entry-type.js') as typeof import('../hook/entry-type.js')).esmHooksNeeded()) {
      (require('../hook/esm-hooks.js') as typeof import('../hook/esm-hooks.js')).installEsmHooksFromPreload(started.hooks);
    }
    setRunningSdk(started);
  } catch (error) {
    diag.warn(`failed to start; the app runs uninstrumented: ${error instanceof Error ? error.message : String(error)}`);
    diag.debug(error instanceof Error && error.stack ? error.stack : String(error));
  }
}
