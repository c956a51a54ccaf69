// pino 7..10: each line pino writes becomes a log record, and gets the active span's
// trace_id / span_id / trace_flags. The patch is on pino's shared logger prototype, so every
// logger and child logger of that pino copy is covered, whenever it was created.

import { wrap } from '../../src/hook/patch.js';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { guard, setLogger, wrapAsJson } from './as-json.js';
import { latestSymbols, rememberSymbols } from './symbols.js';

const VERSIONS = '>=7.0.0 <11';

/** lib/proto.js exports a factory returning Object.create(prototype): one call reaches the shared prototype. */
function sharedPrototype(factory: unknown): Record<symbol, unknown> | undefined {
  if (typeof factory !== 'function') return undefined;
  const instanceProto: unknown = Object.getPrototypeOf((factory as () => unknown)());
  return instanceProto !== null && typeof instanceProto === 'object' ? (instanceProto as Record<symbol, unknown>) : undefined;
}

function patchProto(moduleExports: unknown, telemetry: Telemetry): unknown {
  const symbols = latestSymbols();
  if (symbols === undefined) return moduleExports;
  try {
    const proto = sharedPrototype(moduleExports);
    if (proto === undefined) return moduleExports;
    setLogger(telemetry.logger);
    wrap(proto, symbols.asJsonSym, (original) => wrapAsJson(original as never, symbols));
  } catch (error) {
    guard.fail(error);
  }
  return moduleExports;
}

export const pino: Instrumentation = {
  name: 'pino',
  targets: [
    {
      module: 'pino/lib/symbols.js',
      versions: VERSIONS,
      patch: (moduleExports) => {
        rememberSymbols(moduleExports);
        return moduleExports;
      },
    },
    { module: 'pino/lib/proto.js', versions: VERSIONS, patch: patchProto },
  ],
};
