// Work an instrumentation must do before the last synchronous export at process exit,
// such as ending spans whose 'close' event will never come because the process is leaving.

import { diag } from '../diag/log.js';

const callbacks = new Set<() => void>();

export function atExit(callback: () => void): void {
  callbacks.add(callback);
}

export function runAtExitCallbacks(): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      diag.debug(`exit callback failed: ${String(error)}`);
    }
  }
}
