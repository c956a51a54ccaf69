// Which layer types get a span. OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES is read once, when
// express is first patched; http.route on the server span does not depend on it. Unset, it is
// `middleware`: a span per middleware costs every request and is what users most often ask to
// switch off (contrib #273), so router and handler spans are the default; `none` spans every layer.

import { warnOnce } from '../../src/diag/log.js';

export type LayerType = 'middleware' | 'router' | 'request_handler';

export const IGNORE_LAYER_TYPES_ENV = 'OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES';

const LAYER_TYPES: ReadonlySet<string> = new Set<LayerType>(['middleware', 'router', 'request_handler']);

const DEFAULT_IGNORED: ReadonlySet<LayerType> = new Set<LayerType>(['middleware']);

/** Parses the variable's value: a comma list of layer types, `all` or `none`. Unknown entries warn once. */
export function parseIgnoredLayerTypes(raw: string | undefined): ReadonlySet<LayerType> {
  // Empty means unset (the specification's rule for every variable).
  if (raw === undefined || raw.trim() === '') return DEFAULT_IGNORED;
  const ignored = new Set<LayerType>();
  for (const part of raw.split(',')) {
    const value = part.trim().toLowerCase();
    if (value === '' || value === 'none') continue;
    if (value === 'all') {
      for (const type of LAYER_TYPES) ignored.add(type as LayerType);
    } else if (LAYER_TYPES.has(value)) {
      ignored.add(value as LayerType);
    } else {
      warnOnce(
        `${IGNORE_LAYER_TYPES_ENV}:${value}`,
        `unknown layer type ${JSON.stringify(value)} in ${IGNORE_LAYER_TYPES_ENV}; valid: middleware, router, request_handler, all, none`,
      );
    }
  }
  return ignored;
}

let ignoredTypes: ReadonlySet<LayerType> | undefined;

/** The ignored layer types of this process, read from the environment on first use. */
export function ignoredLayerTypes(): ReadonlySet<LayerType> {
  if (ignoredTypes === undefined) ignoredTypes = parseIgnoredLayerTypes(process.env[IGNORE_LAYER_TYPES_ENV]);
  return ignoredTypes;
}
