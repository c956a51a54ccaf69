// The CommonJS preload (`node --require otel-instrument/register`). Runs once per process,
// stays dormant in package managers, and never lets a failure of ours reach the app.

import { diag } from '../diag/log.js';
import { isLauncherProcess, isLoaderHooksThread } from './dormant.js';
import { claimStart, startSdkHere } from './start-once.js';
import { LINK_FD_VAR } from '../exit/link-messages.js';

/**
 * Whether this process's start is worth keeping in the code cache (src/entry/code-cache.ts): not a
 * dormant package manager's, which runs a fraction of the preload, before the app it starts.
 */
export let writesCodeCache = false;

if (claimStart()) {
  if (process.env[LINK_FD_VAR] !== undefined && !isLoaderHooksThread()) linkToLauncher();
  if (isLoaderHooksThread()) {
    // Nothing to say: this thread exists in every ESM-hooked process.
  } else if (isLauncherProcess()) {
    diag.debug(`dormant in launcher process ${process.argv[1] ?? ''}`);
  } else {
    writesCodeCache = true;
    startSdkHere();
  }
}

/**
 * Under the launcher, its direct child links to it (src/exit/app-launcher-link.ts), whether it is the app or
 * a dormant npm, and whatever the SDK's settings: the link is what delivers each signal once, and what ends
 * the child with a killed launcher.
 */
function linkToLauncher(): void {
  try {
    (require('../exit/app-launcher-link.js') as typeof import('../exit/app-launcher-link.js')).linkToLauncher();
  } catch (error) {
    diag.debug(`could not link to the launcher: ${String(error)}`);
  }
}
