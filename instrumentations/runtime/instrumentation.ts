// The runtime metrics as an instrumentation, so OTEL_NODE_DISABLED_INSTRUMENTATIONS=runtime turns them off.
// They start on the first event-loop turn rather than during the preload: a process that ends at
// once (a script, a CLI) never loads them, and a server's startup does not wait for them.

import type { Instrumentation } from '../../src/hook/instrumentation.js';

export const runtime: Instrumentation = {
  name: 'runtime',
  targets: [],
  subscribe(telemetry) {
    const meter = telemetry.backgroundMeter;
    if (meter === undefined) return;
    setTimeout(() => {
      try {
        (require('./index.js') as typeof import('./index.js')).startRuntimeMetrics(meter);
      } catch {
        // Metrics about the runtime are never worth a failure in the app.
      }
    }, 0).unref();
  },
};
