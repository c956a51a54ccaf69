// hono hands every route to its router as router.add(method, path, [handler, route]), where `route` is
// the RouterRoute it also keeps in app.routes ({ method, path, handler, basePath }, `path` the full
// template: basePath and app.route() prefixes included). The router returns that pair for each request
// it matches, and hono calls the pair's handler. Each router's `add` is wrapped, on its prototype, to
// hand the router a pair holding our wrapper instead (route-handler.ts): made once per route, so the
// request path pays no lookup. app.routes, matchedRoutes(c) and route.handler keep the app's own
// function; only the router's copy of the pair differs.

import { wrap } from '../../src/hook/patch.js';
import { guard, isWrappedHandler, wrapRouteHandler } from './route-handler.js';

type Add = (this: unknown, method: unknown, path: unknown, handler: unknown) => unknown;

/** hono's [handler, RouterRoute] pair with our wrapper in it; undefined for anything else (a router used on its own, a pair already wrapped). */
function instrumentedPair(payload: unknown): unknown[] | undefined {
  if (!Array.isArray(payload) || payload.length !== 2) return undefined;
  const handler: unknown = payload[0];
  const route: unknown = payload[1];
  if (typeof handler !== 'function' || isWrappedHandler(handler)) return undefined;
  if (route === null || typeof route !== 'object') return undefined;
  const { path, handler: routeHandler } = route as { path?: unknown; handler?: unknown };
  if (typeof path !== 'string' || routeHandler !== handler) return undefined;
  return [wrapRouteHandler(handler as (...args: unknown[]) => unknown, path), route];
}

export function patchRouterPrototype(proto: object): void {
  wrap(proto as { add: Add }, 'add', (original) =>
    function add(this: unknown, method: unknown, path: unknown, handler: unknown) {
      let pair: unknown[] | undefined;
      if (guard.enabled) {
        try {
          pair = instrumentedPair(handler);
        } catch (internal) {
          guard.fail(internal);
        }
      }
      return original.call(this, method, path, pair ?? handler);
    },
  );
}
