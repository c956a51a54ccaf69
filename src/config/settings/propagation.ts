// Settings: how context travels between services (group "propagation").

import { defineSetting } from '../setting.js';
import { listOf } from '../setting-types.js';
import type { PropagatorName } from '../types.js';

export const PROPAGATORS = defineSetting({
  env: 'OTEL_PROPAGATORS',
  group: 'propagation',
  help: 'propagators (comma list)',
  type: listOf<PropagatorName>({ allowed: ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger'], none: true, unsupported: ['xray', 'ottrace'] }),
  default: ['tracecontext', 'baggage'] as readonly PropagatorName[],
});

export const PROPAGATION_SETTINGS = [PROPAGATORS];
