// hono 4: http.route and the span name of http's server span from the route that answered, a span per
// request handler, and handler errors (route-handler.ts), through the routers' `add` (router-add.ts).
// The server side needs @hono/node-server (its c.env.incoming); nothing of it is patched.
//
// Only public entry points are hooked, the same names for require and import (hono's internal files
// are loaded by relative paths, which the ESM hook does not report): the routers an app may construct
// itself, and the Hono classes (the default and the two presets), whose router class is found on a
// throwaway instance, since hono builds the router inside the constructor.

import type { Instrumentation, ModuleTarget, Telemetry } from '../../src/hook/instrumentation.js';
import { guard, useTracer } from './route-handler.js';
import { patchRouterPrototype } from './router-add.js';

const VERSIONS = '>=4.0.0 <5';

/** Entry points that export a Hono class. */
export const HONO_ENTRIES: readonly string[] = ['hono', 'hono/quick', 'hono/tiny'];

/** Entry points that export router classes, with the classes. */
export const ROUTER_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  'hono/router/reg-exp-router': ['RegExpRouter', 'PreparedRegExpRouter'],
  'hono/router/trie-router': ['TrieRouter'],
  'hono/router/smart-router': ['SmartRouter'],
  'hono/router/pattern-router': ['PatternRouter'],
  'hono/router/linear-router': ['LinearRouter'],
};

function prototypeOf(value: unknown): object | undefined {
  const proto: unknown = typeof value === 'function' ? (value as { prototype?: unknown }).prototype : undefined;
  return proto !== null && typeof proto === 'object' ? proto : undefined;
}

function patchRouterClasses(exports: unknown, classNames: readonly string[], telemetry: Telemetry): unknown {
  useTracer(telemetry.tracer);
  for (const name of classNames) {
    const proto = prototypeOf((exports as Record<string, unknown> | null)?.[name]);
    if (proto !== undefined) patchRouterPrototype(proto);
  }
  return exports;
}

/** The router class an app of this Hono class routes with, read off an instance made and dropped here. */
function patchHonoRouter(exports: unknown, telemetry: Telemetry): unknown {
  useTracer(telemetry.tracer);
  const Hono = (exports as { Hono?: unknown } | null)?.Hono;
  if (typeof Hono !== 'function') return exports;
  try {
    const router: unknown = (new (Hono as new () => { router?: unknown })()).router;
    const proto: unknown = router !== null && typeof router === 'object' ? Object.getPrototypeOf(router) : undefined;
    if (proto !== null && typeof proto === 'object' && proto !== Object.prototype) patchRouterPrototype(proto);
  } catch (internal) {
    guard.fail(internal);
  }
  return exports;
}

export const hono: Instrumentation = {
  name: 'hono',
  targets: [
    ...HONO_ENTRIES.map((module): ModuleTarget => ({ module, versions: VERSIONS, patch: patchHonoRouter })),
    ...Object.entries(ROUTER_ENTRIES).map(
      ([module, classNames]): ModuleTarget => ({ module, versions: VERSIONS, patch: (exports, telemetry) => patchRouterClasses(exports, classNames, telemetry) }),
    ),
  ],
};
