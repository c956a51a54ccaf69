// Which layer types get a span. OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES is read once, when
// express is first patched; http.route on the server span does not depend on it.

import { warnOnce } from '../../src/diag/log.js';

export type LayerType = 'middleware' | 'router' | 'request_handler';

export const IGNORE_LAYER_TYPES_ENV = 'OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES';

const LAYER_TYPES: ReadonlySet<string> = new Set<LayerType>(['middleware', 'router', 'request_handler']);

/** Parses the variable's value: a comma list of layer types, or `all`. Unknown entries warn once. */
export function parseIgnoredLayerTypes(raw: string | undefined): ReadonlySet<LayerType> {
  const ignored = new Set<LayerType>();
  if (raw === undefined) return ignored;
  for (const part of raw.split(',')) {
    const value = part.trim().toLowerCase();
    if (value === '') continue;
    if (value === 'all') {
      for (const type of LAYER_TYPES) ignored.add(type as LayerType);
    } else if (LAYER_TYPES.has(value)) {
      ignored.add(value as LayerType);
    } else {
      warnOnce(
        `${IGNORE_LAYER_TYPES_ENV}:${value}`,
        `unknown layer type ${JSON.stringify(value)} in ${IGNORE_LAYER_TYPES_ENV}; valid: middleware, router, request_handler, all`,
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
