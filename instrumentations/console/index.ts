// console.log/info/debug/warn/error/trace -> log records. The global console has no module to
// hook: its methods are wrapped once at startup when logs are exported.

import type { Instrumentation } from '../types.js';
import { ConsoleCapture } from './capture.js';

export const consoleInstrumentation: Instrumentation = {
  name: 'console',
  targets: [],
  subscribe(telemetry) {
    if (telemetry.loggerProvider === undefined) return;
    new ConsoleCapture(telemetry.loggerProvider.getLogger('otel-instrument/console')).install();
  },
};
