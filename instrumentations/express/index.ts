// express 4 (its own router in express/lib/router) and express 5 (the `router` package v2):
// http.route and the span name of the server span, plus optional spans per layer.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { useIgnoredLayerTypes } from './config.js';
import { configureLayerDispatch as configureWithTracer, guard, patchLayerPrototype } from './layer-dispatch.js';
import { patchRouterPrototype } from './router-registration.js';

/** Layer dispatch takes its tracer and the ignored layer types (from the configuration) before any patch. */
function configureLayerDispatch(telemetry: Telemetry): void {
  useIgnoredLayerTypes(telemetry.config);
  configureWithTracer(telemetry.tracer);
}

/** A constructor's prototype; router@2's Router.prototype is itself a function (routers are callable). */
function prototypeOf(exports: unknown): object | undefined {
  if (typeof exports !== 'function') return undefined;
  const proto: unknown = (exports as { prototype?: unknown }).prototype;
  return proto !== null && (typeof proto === 'object' || typeof proto === 'function') ? (proto as object) : undefined;
}

function patchLayerModule(exports: unknown, telemetry: Telemetry, requestMethod: string, errorMethod: string): unknown {
  configureLayerDispatch(telemetry);
  const proto = prototypeOf(exports);
  if (proto !== undefined) patchLayerPrototype(proto, requestMethod, errorMethod);
  return exports;
}

export const express: Instrumentation = {
  name: 'express',
  targets: [
    {
      // Nothing to patch on the package itself; its router files below carry the work.
      module: 'express',
      versions: '>=4.0.0 <6',
      patch: (exports, telemetry) => {
        configureLayerDispatch(telemetry);
        return exports;
      },
    },
    {
      module: 'express/lib/router/layer.js',
      versions: '>=4.0.0 <5',
      patch: (exports, telemetry) => patchLayerModule(exports, telemetry, 'handle_request', 'handle_error'),
    },
    {
      // express 4's router module exports the router prototype itself.
      module: 'express/lib/router/index.js',
      versions: '>=4.0.0 <5',
      patch: (exports, telemetry) => {
        configureLayerDispatch(telemetry);
        if (typeof exports === 'function') patchRouterPrototype(exports, guard);
        return exports;
      },
    },
    {
      module: 'router/lib/layer.js',
      versions: '>=2.0.0 <3',
      patch: (exports, telemetry) => patchLayerModule(exports, telemetry, 'handleRequest', 'handleError'),
    },
    {
      module: 'router',
      versions: '>=2.0.0 <3',
      patch: (exports, telemetry) => {
        configureLayerDispatch(telemetry);
        const proto = prototypeOf(exports);
        if (proto !== undefined) patchRouterPrototype(proto, guard);
        return exports;
      },
    },
  ],
};
