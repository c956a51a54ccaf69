// Routes whose handler the framework above fastify spans itself (NestJS's controller methods,
// declared through http's declareSpannedHandlers): our onRoute hook notes them as they are declared,
// and fastify 5's handler channel starts no span for them while that framework is on, so a request
// has one handler span, not two. (fastify 4's handler wrapper is told at the same place.)
//
// Noted per fastify instance (the one the route is declared on, which fastify hands its requests as
// `request.server`), url and method (the route's `method` as declared: a string, or the array
// fastify keeps as it is for `all` and multi-method routes).

import type { FrameworkAbove } from '../http/framework-api.js';

const noted = new WeakMap<object, Map<string, Map<unknown, FrameworkAbove>>>();
/** Nothing noted yet: an app without a framework above fastify pays one boolean test per request. */
let empty = true;

export function noteSpannedAbove(instance: unknown, url: unknown, method: unknown, above: FrameworkAbove): void {
  if (instance === null || typeof instance !== 'object' || typeof url !== 'string') return;
  let byUrl = noted.get(instance);
  if (byUrl === undefined) {
    byUrl = new Map();
    noted.set(instance, byUrl);
  }
  let byMethod = byUrl.get(url);
  if (byMethod === undefined) {
    byMethod = new Map();
    byUrl.set(url, byMethod);
  }
  byMethod.set(method, above);
  empty = false;
}

/** Is the handler of this route (of fastify instance `instance`) spanned by a framework above that is on? */
export function isSpannedAbove(instance: unknown, url: string, method: unknown): boolean {
  if (empty || instance === null || typeof instance !== 'object') return false;
  return noted.get(instance)?.get(url)?.get(method)?.enabled === true;
}
