// How an instrumentation reads its own settings: parsed once with the rest of the configuration
// (loadConfig) and carried in the Config handed to it, never read from process.env.

import type { Setting } from './setting.js';
import type { Config } from './types.js';

/** The setting's value in `config`, or its default when the configuration was built without it. */
export function settingValue<T>(config: Config, setting: Setting<T>): T {
  // A config put together by hand (a test's) may lack the record altogether.
  const values = config.instrumentationSettings as Config['instrumentationSettings'] | undefined;
  return values !== undefined && Object.hasOwn(values, setting.env) ? (values[setting.env] as T) : setting.default;
}
