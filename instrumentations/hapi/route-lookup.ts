// hapi matches the request to a route in Request#_lookup (after the onRequest extensions, which may
// rewrite the path, and before auth, validation and the handler). Right after it, request.route is the
// route as declared, its `path` with the plugin's routes.prefix already in front ('/api/users/{id}'):
// that is the request's http.route, also when auth or validation then refuses it. A request no route
// matches gets hapi's own notFound route, method '_special', which is no route of the app.

import type { IncomingMessage } from 'node:http';
import { httpServerRequest, setRoute } from '../http/framework-api.js';
import { wrap } from '../../src/hook/patch.js';
import { guard } from './guard.js';

export interface HapiRoute {
  readonly method?: unknown;
  readonly path?: unknown;
  readonly settings?: { readonly handler?: unknown };
  readonly realm?: { readonly plugin?: unknown };
}

export interface HapiRequest {
  readonly route?: HapiRoute;
  readonly raw?: { readonly req?: IncomingMessage };
}

/** The app's route of `request`, or undefined before routing and for hapi's own notFound / badRequest / CORS routes. */
export function appRouteOf(request: HapiRequest): HapiRoute | undefined {
  const route = request.route;
  if (route === null || typeof route !== 'object' || route.method === '_special' || typeof route.path !== 'string') return undefined;
  return route;
}

function routeMatched(request: HapiRequest): void {
  const route = appRouteOf(request);
  const req = request.raw?.req;
  if (route === undefined || req === null || typeof req !== 'object') return;
  const server = httpServerRequest(req);
  if (server !== undefined) setRoute(server, route.path as string);
}

export function patchRequestPrototype(proto: object): void {
  wrap(proto as { _lookup: () => unknown }, '_lookup', (original) =>
    function _lookup(this: HapiRequest) {
      const result = Reflect.apply(original, this, arguments);
      if (guard.enabled) {
        try {
          routeMatched(this);
        } catch (internal) {
          guard.fail(internal);
        }
      }
      return result;
    },
  );
}
