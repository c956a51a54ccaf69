// The express instrumentation's settings. Data only: the settings table (src/config) takes them in
// through the registry without loading the instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { listOf } from '../../src/config/setting-types.js';

export type LayerType = 'middleware' | 'router' | 'request_handler';

const LAYER_TYPES: readonly LayerType[] = ['middleware', 'router', 'request_handler'];

// Unset, it is `middleware`: a span per middleware costs every request and is what users most often
// ask to switch off (contrib #273), so router and handler spans are the default; `none` spans every layer.
export const IGNORE_LAYER_TYPES = defineSetting({
  env: 'OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES',
  group: 'instrumentations',
  help: 'express steps that get no span (the route is still recorded); none spans every step',
  type: listOf<LayerType>({ allowed: LAYER_TYPES, none: true, expand: { all: LAYER_TYPES } }),
  default: ['middleware'] as readonly LayerType[],
});

export const EXPRESS_SETTINGS = [IGNORE_LAYER_TYPES];
