// Config first; the SDK only if it is enabled. With OTEL_SDK_DISABLED=true nothing else is
// loaded and nothing patched. The caller (register.ts) catches everything: if any of this fails
// the app runs as if we were not there.

import { loadConfig } from '../config/load-config.js';
import { INSTRUMENTATION_SETTINGS, INSTRUMENTATIONS } from '../../instrumentations/registry.js';
import { diag, setLogLevel } from '../diag/log.js';
import type { StartedSdk } from './start-sdk.js';

/** Starts from `env` (the process's, or the launcher's flags and the app's start() options over it). */
export function start(env: NodeJS.ProcessEnv = process.env): StartedSdk | undefined {
  const config = loadConfig(env, {
    extra: INSTRUMENTATION_SETTINGS,
    instrumentationNames: INSTRUMENTATIONS.map((entry) => entry.name),
  });
  setLogLevel(config.logLevel);
  if (config.sdkDisabled) {
    diag.debug('OTEL_SDK_DISABLED=true: no SDK started, nothing patched');
    return undefined;
  }
  return (require('./start-sdk.js') as typeof import('./start-sdk.js')).startSdk(config);
}
