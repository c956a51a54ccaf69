// The runtime metrics as an instrumentation, so OTEL_NODE_DISABLED_INSTRUMENTATIONS=runtime turns them off.

import type { Instrumentation } from '../types.js';
import { startRuntimeMetrics } from './index.js';

export const runtime: Instrumentation = {
  name: 'runtime',
  targets: [],
  subscribe(telemetry) {
    if (telemetry.backgroundMeter !== undefined) startRuntimeMetrics(telemetry.backgroundMeter);
  },
};
