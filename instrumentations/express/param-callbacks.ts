// app.param / router.param callbacks run after a route matched and before its layer does, from
// express 4's process_params or router@2's processParams (a function inside the module, out of our
// reach). A callback that rejects the request (next(err)) or answers it itself would leave the server
// span without the route that matched. So each callback is wrapped as it is registered: while it runs,
// the matched route (req.route, which both routers set before processing params) is the request's
// route, under the prefix of the router running it. next(err) keeps it and records the error on the
// server span; next() and next('route') give the route back (the route's own layer sets it again when
// it runs).

import type { ServerResponse } from 'node:http';
import { routeOf, setRoute } from '../http/framework-api.js';
import { keepShape } from '../../src/hook/patch.js';
import type { Guard } from '../../src/hook/guard.js';
import { layerRoute, routeMeta } from './layer-metadata.js';
import { createRequestState, recordError, requestState, type RequestState } from './request-state.js';

type ParamCallback = (req: object, res: ServerResponse, next: (...args: unknown[]) => unknown, value: unknown, name: unknown) => unknown;

/** The route template prefix of the router whose params are being processed, found by its mount path. */
function prefixOf(state: RequestState, baseUrl: unknown): string {
  // A router just entered that has run no layer yet: the router layer that entered it left its prefix.
  if (state.enteringPrefix !== undefined) return state.enteringPrefix;
  for (let level = state.newestLevel; level !== undefined; level = level.previous) if (level.baseUrl === baseUrl) return level.prefix;
  return '';
}

/** Makes the matched route the request's; returns the route it replaced, or undefined when nothing was set. */
function enter(req: object, res: ServerResponse): { state: RequestState; before: string | undefined } | undefined {
  const meta = routeMeta((req as { route?: unknown }).route);
  if (meta === undefined || res === null || typeof res !== 'object') return undefined;
  const state = requestState(req) ?? createRequestState(req, res);
  if (state.server === undefined) return undefined;
  const before = routeOf(state.server);
  setRoute(state.server, layerRoute(meta, prefixOf(state, (req as { baseUrl?: unknown }).baseUrl)));
  return { state, before };
}

export function wrapParamCallback(fn: ParamCallback, guard: Guard): ParamCallback {
  return keepShape(function param(this: unknown, req: object, res: ServerResponse, next: (...args: unknown[]) => unknown) {
    let entered: ReturnType<typeof enter>;
    if (guard.enabled && typeof next === 'function') {
      try {
        entered = enter(req, res);
      } catch (internal) {
        guard.fail(internal);
      }
    }
    if (entered === undefined) return Reflect.apply(fn, this, arguments);
    const { state, before } = entered;
    const args = Array.prototype.slice.call(arguments) as Parameters<ParamCallback>;
    args[2] = function paramNext(this: unknown, error?: unknown) {
      try {
        if (error !== undefined && error !== null && error !== 'route' && error !== false) recordError(state, undefined, error);
        else if (state.server !== undefined) setRoute(state.server, before);
      } catch (internal) {
        guard.fail(internal);
      }
      return Reflect.apply(next, this, arguments);
    };
    return Reflect.apply(fn, this, args);
  } as ParamCallback, fn);
}
