// bunyan 1 and 2: each record bunyan writes becomes a log record, and gets the active span's
// trace_id / span_id / trace_flags. The patch is on Logger.prototype._emit; no stream is added,
// so the logger's streams and levels are what the app configured.

import { wrap } from '../../src/hook/patch.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { guard, setLogger, wrapEmit } from './emit.js';


/** The Logger constructor: bunyan's exports, or the `default` of an ESM namespace. */
function loggerPrototype(moduleExports: unknown): { _emit: never } | undefined {
  let ctor: unknown = moduleExports;
  if (typeof ctor !== 'function' && ctor !== null && typeof ctor === 'object') ctor = (ctor as { default?: unknown }).default;
  if (typeof ctor !== 'function') return undefined;
  const proto: unknown = (ctor as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' && typeof (proto as { _emit?: unknown })._emit === 'function' ? (proto as { _emit: never }) : undefined;
}

function patchBunyan(moduleExports: unknown, telemetry: Telemetry): unknown {
  try {
    const proto = loggerPrototype(moduleExports);
    if (proto === undefined) return moduleExports;
    setLogger(telemetry.logger);
    wrap(proto, '_emit', (original) => wrapEmit(original));
  } catch (error) {
    guard.fail(error);
  }
  return moduleExports;
}

export const bunyan: Instrumentation = {
  name: 'bunyan',
  targets: [{ module: 'bunyan', versions: '>=1.0.0 <3', patch: patchBunyan }],
};
