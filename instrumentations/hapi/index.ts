// hapi 21 (@hapi/hapi): http.route and the span name of http's server span from the matched route
// (route-lookup.ts), a span per route handler and lifecycle errors by their Boom status
// (lifecycle-method.ts). Two internal files are patched, on prototypes: hapi's own listener, route
// table, extensions and responses are left as they are. hapi is CommonJS, so an ESM app's import
// loads these files through require as well.

import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { patchToolkitManager, useTracer } from './lifecycle-method.js';
import { patchRequestPrototype } from './route-lookup.js';

const VERSIONS = '>=21.0.0 <22';

function prototypeOf(value: unknown): object | undefined {
  const proto: unknown = typeof value === 'function' ? (value as { prototype?: unknown }).prototype : undefined;
  return proto !== null && typeof proto === 'object' ? proto : undefined;
}

export const hapi: Instrumentation = {
  name: 'hapi',
  targets: [
    // Nothing to patch on the package itself; it is hooked so that its internal files are reported.
    { module: '@hapi/hapi', versions: VERSIONS, patch: (exports) => exports },
    {
      // module.exports is the Request class.
      module: '@hapi/hapi/lib/request.js',
      versions: VERSIONS,
      patch: (exports) => {
        const proto = prototypeOf(exports);
        if (proto !== undefined) patchRequestPrototype(proto);
        return exports;
      },
    },
    {
      module: '@hapi/hapi/lib/toolkit.js',
      versions: VERSIONS,
      patch: (exports, telemetry) => {
        useTracer(telemetry.tracer);
        const proto = prototypeOf((exports as { Manager?: unknown } | null)?.Manager);
        if (proto !== undefined) patchToolkitManager(proto);
        return exports;
      },
    },
  ],
};
