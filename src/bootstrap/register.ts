// The CommonJS preload (`node --require otel-instrument/register`). Runs once per process,
// stays dormant in package managers, and never lets a failure of ours reach the app.

import { diag } from '../diag/log.js';
import { isLauncherProcess, isLoaderHooksThread } from './dormant.js';

const STARTED = Symbol.for('otel-instrument.started');
const globals = globalThis as Record<symbol, unknown>;

if (globals[STARTED] !== true) {
  globals[STARTED] = true;
  if (isLoaderHooksThread()) {
    // Nothing to say: this thread exists in every ESM-hooked process.
  } else if (isLauncherProcess()) {
    diag.debug(`dormant in launcher process ${process.argv[1] ?? ''}`);
  } else {
    try {
      const hooks = (require('./start.js') as typeof import('./start.js')).start();
      if (hooks !== undefined && (require('../hook/entry-type.js') as typeof import('../hook/entry-type.js')).esmHooksNeeded()) {
        (require('../hook/esm-hooks.js') as typeof import('../hook/esm-hooks.js')).installEsmHooksFromPreload(hooks);
      }
    } catch (error) {
      diag.warn(`failed to start; the app runs uninstrumented: ${error instanceof Error ? error.message : String(error)}`);
      diag.debug(error instanceof Error && error.stack ? error.stack : String(error));
    }
  }
}

