// console.log/info/debug/warn/error/trace -> log records. The global console has no module to
// hook: its methods are wrapped once at startup when logs are exported.

import type { Instrumentation } from '../../src/hook/instrumentation.js';

export const consoleInstrumentation: Instrumentation = {
  name: 'console',
  targets: [],
  subscribe(telemetry) {
    const logger = telemetry.logger;
    if (logger === undefined) return;
    const { ConsoleCapture } = require('./capture.js') as typeof import('./capture.js');
    new ConsoleCapture(logger).install();
  },
};
