// winston 3: each record winston writes becomes a log record, and gets the active span's
// trace_id / span_id / trace_flags as fields the app's formats print. No transport is added and
// no configuration touched: the patch is on Logger.prototype.

import { wrap } from '../../src/hook/patch.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { guard, setLogger, wrapPush, wrapWrite } from './logger-prototype.js';


function patchLogger(moduleExports: unknown, telemetry: Telemetry): unknown {
  try {
    const proto: unknown = typeof moduleExports === 'function' ? (moduleExports as { prototype?: unknown }).prototype : undefined;
    if (proto === null || typeof proto !== 'object') return moduleExports;
    setLogger(telemetry.logger);
    const target = proto as { write: never; push: never };
    wrap(target, 'write', (original) => wrapWrite(original));
    wrap(target, 'push', (original) => wrapPush(original));
  } catch (error) {
    guard.fail(error);
  }
  return moduleExports;
}

export const winston: Instrumentation = {
  name: 'winston',
  targets: [{ module: 'winston/lib/winston/logger.js', versions: '>=3.0.0 <4', patch: patchLogger }],
};
