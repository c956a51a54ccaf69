// The two hooks every supported fastify instance gets, first in its lists (they are added as the
// instance is made, before any of the app's): they tell the http server span, through http's
// framework API only, which route matched and which error fastify handled.
//
// onRequest runs right after fastify's router matched the request, before any of the app's hooks:
// a request an app's hook answers (a 401 from an auth hook) still has its route. fastify's 404
// handler has no route (routeOptions.url is undefined), so a 404 keeps none.
// onError runs for every error fastify sends: thrown or rejected by the handler or a hook, or
// given to reply.send(err) (`reply.code(500).send(err)`). Both call `done` at once, synchronously,
// whatever happens here: fastify goes on exactly as without them.

import type { IncomingMessage } from 'node:http';
import { httpServerRequest, recordHandlerError, setRoute } from '../http/framework-api.js';
import { guard } from './telemetry.js';

interface RequestLike {
  readonly raw?: IncomingMessage;
  /** fastify >= 4.10; allocated on each read. */
  readonly routeOptions?: { readonly url?: unknown };
  /** fastify 4.0 to 4.9 (later 4.x deprecate it with a warning, fastify 5 drops it). */
  readonly routerPath?: unknown;
}

type Done = () => void;

function routeOf(request: RequestLike): unknown {
  const options = request.routeOptions;
  return options !== undefined ? options.url : request.routerPath;
}

export function otelRecordRoute(this: unknown, request: RequestLike, _reply: unknown, done: Done): void {
  if (guard.enabled) {
    try {
      const raw = request.raw;
      const server = raw === undefined ? undefined : httpServerRequest(raw);
      if (server !== undefined) {
        const route = routeOf(request);
        if (typeof route === 'string') setRoute(server, route);
      }
    } catch (error) {
      guard.fail(error);
    }
  }
  done();
}

export function otelRecordError(this: unknown, request: RequestLike, _reply: unknown, error: unknown, done: Done): void {
  if (guard.enabled) {
    try {
      const raw = request.raw;
      const server = raw === undefined ? undefined : httpServerRequest(raw);
      if (server !== undefined) recordHandlerError(server, error);
    } catch (internal) {
      guard.fail(internal);
    }
  }
  done();
}
