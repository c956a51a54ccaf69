// koa 2 and 3 with @koa/router or koa-router: the http server span named after the matched route,
// an INTERNAL span for the route's handler, and handler errors on the server span, all through
// http's framework API. Nothing per middleware.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { patchApplicationPrototype } from './app-errors.js';
import { useHandlerTracer } from './route-handler.js';
import { patchRouterPrototype } from './router-registration.js';

/**
 * The class a module hands out: the CommonJS exports themselves (koa, both routers), or the
 * default export of an ES module namespace (koa's dist/koa.mjs, @koa/router's dist/index.mjs).
 */
function exportedPrototype(exports: unknown): object | undefined {
  let ctor: unknown = exports;
  if (typeof ctor !== 'function' && ctor !== null && typeof ctor === 'object') ctor = (ctor as { default?: unknown }).default;
  if (typeof ctor !== 'function') return undefined;
  const proto: unknown = (ctor as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' ? proto : undefined;
}

function patchRouterModule(exports: unknown, telemetry: Telemetry): unknown {
  useHandlerTracer(telemetry.tracer);
  const proto = exportedPrototype(exports);
  if (proto !== undefined) patchRouterPrototype(proto);
  return exports;
}

export const koa: Instrumentation = {
  name: 'koa',
  targets: [
    {
      module: 'koa',
      versions: '>=2.0.0 <4',
      patch: (exports) => {
        const proto = exportedPrototype(exports);
        if (proto !== undefined) patchApplicationPrototype(proto);
        return exports;
      },
    },
    // koa-router is @koa/router's code under its old name. Both build the per-request chain the same
    // way (a step setting ctx._matchedRoute, then the layer's stack) since long before 12; tested on
    // @koa/router 15 (the TypeScript rewrite) and koa-router 14 (the JavaScript code).
    { module: '@koa/router', versions: '>=12.0.0 <16', patch: patchRouterModule },
    { module: 'koa-router', versions: '>=12.0.0 <15', patch: patchRouterModule },
  ],
};
