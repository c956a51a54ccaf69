// The SDK starts once per process (per thread), by whichever comes first: the preload
// (`--require otel-instrument/register`, the launcher) or the app's own start(). Kept on globalThis under
// registered symbols, so two copies of this package in one process still start one SDK.

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
