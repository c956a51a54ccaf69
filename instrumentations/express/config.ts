// Which layer types get a span: OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES (./settings.ts), parsed with the
// rest of the configuration and handed over when express is first patched (index.ts).
// http.route on the server span does not depend on it.

import type { Config } from '../../src/config/types.js';
import { settingValue } from '../../src/config/setting-value.js';
import { IGNORE_LAYER_TYPES, type LayerType } from './settings.js';

export type { LayerType };

let ignoredTypes: ReadonlySet<LayerType> = new Set(IGNORE_LAYER_TYPES.default);

/** Takes the ignored layer types from this process's configuration. */
export function useIgnoredLayerTypes(config: Config): void {
  ignoredTypes = new Set(settingValue(config, IGNORE_LAYER_TYPES));
}

/** The ignored layer types of this process. */
export function ignoredLayerTypes(): ReadonlySet<LayerType> {
  return ignoredTypes;
}

/** Parses a value of the variable as the configuration does (a comma list of layer types, `all` or `none`). */
export function parseIgnoredLayerTypes(raw: string | undefined): ReadonlySet<LayerType> {
  const env = IGNORE_LAYER_TYPES.env;
  return new Set(IGNORE_LAYER_TYPES.type.read({ [env]: raw }, [env], IGNORE_LAYER_TYPES.default));
}
