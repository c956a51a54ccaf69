// The ESM preload (`node --import otel-instrument/register`). Starts the same bootstrap as the
// CommonJS preload (a no-op if that already ran), then routes `import`s of the modules we
// instrument through the same hooks with import-in-the-middle. Only those modules are wrapped
// (an include list): wrapping every ESM module is slow and breaks some of them.

import { createRequire } from 'node:module';
import type { ModuleHooks } from '../hook/module-hooks.js';

const require = createRequire(import.meta.url);
const { moduleHooks } = require('./register.js') as typeof import('./register.js');
const hooks = moduleHooks();

if (hooks !== undefined) {
  const { esmHooksNeeded } = require('../hook/esm-hooks.js') as typeof import('../hook/esm-hooks.js');
  if (esmHooksNeeded()) await installEsmLoader(hooks);
}

async function installEsmLoader(moduleHooks: ModuleHooks): Promise<void> {
  const { installEsmHooks, reportEsmHookFailure } = require('../hook/esm-hooks.js') as typeof import('../hook/esm-hooks.js');
  const include = moduleHooks.moduleNames();
  try {
    const { supportsSyncHooks, register: registerSync } = await import('import-in-the-middle/register-hooks.mjs');
    if (supportsSyncHooks()) {
      // In-thread hooks (module.registerHooks): no loader thread, no message round-trips.
      registerSync({ include });
      installEsmHooks(moduleHooks, 'module.registerHooks');
    } else {
      const { register } = await import('node:module');
      const { createAddHookMessageChannel } = require('import-in-the-middle') as typeof import('import-in-the-middle');
      const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
      register('import-in-the-middle/hook.mjs', import.meta.url, { ...registerOptions, data: { ...registerOptions.data, include } });
      installEsmHooks(moduleHooks, 'module.register');
      await waitForAllMessagesAcknowledged();
    }
  } catch (error) {
    reportEsmHookFailure(error);
  }
}
