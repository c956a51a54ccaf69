// What a web framework instrumentation (express today; fastify, koa, NestJS, hono, hapi next) may do
// to the SERVER span the http instrumentation owns. http alone names the span, sets http.route and
// records the duration metric, all from the same state when the response closes, so the three
// always agree. A framework only says which route matched and which error its handler raised.
//
// Usage, once per request where the framework first sees it:
//   const server = httpServerRequest(req);   // undefined: no span for this request (excluded, untraced)
//   if (server !== undefined) setRoute(server, '/users/:id');
// Every call is a field access on the per-request state http already made: nothing is allocated.
//
// A framework built on another (NestJS on express or fastify) declares its routes on the platform's
// router and spans each route's handler itself; it declares them through declareSpannedHandlers, and
// the platform's instrumentation, asking handlerSpannedAbove() as the route is declared, gives such a
// route its http.route but no handler span of its own: one handler span per request, not two.

import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { diag } from '../../src/diag/log.js';
import { exceptionAttributes } from '../../src/core/exception-attributes.js';
import { serverRequestState, type ServerRequestState } from './server.js';

/** The http instrumentation's view of one server request, as frameworks see it. Opaque but for the span. */
export interface HttpServerRequest {
  /** The SERVER span: a framework parents its own spans on it (it is the active span in the handler). */
  readonly span: Span;
}

/** The server request `req` belongs to, or undefined when http made no span state for it. */
export function httpServerRequest(req: IncomingMessage | object): HttpServerRequest | undefined {
  return serverRequestState(req);
}

/**
 * The route template that matched ('/users/:id'), or undefined when none did (a 404, or a route that
 * passed the request on): it becomes http.route, the span name `{method} {route}` and the duration
 * metric's http.route. The last value set before the response closes wins.
 */
export function setRoute(request: HttpServerRequest, route: string | undefined): void {
  (request as ServerRequestState).route = route;
}

/** The route set so far (a framework restoring an outer route when an inner one passes). */
export function routeOf(request: HttpServerRequest): string | undefined {
  return (request as ServerRequestState).route;
}

/** The framework above a platform, as the platform sees it: whether it still makes its spans (its Guard). */
export interface FrameworkAbove {
  readonly enabled: boolean;
}

let declaringAbove: FrameworkAbove | undefined;

/**
 * Calls `declare` (with `thisArg` and `args`), which declares routes on a platform underneath (NestJS
 * registering a controller method on express or fastify) whose handlers `above` spans itself.
 * Platforms declare routes synchronously, so what they see declared during the call is exactly that.
 * Returns what `declare` returns and lets its throw through.
 */
export function declareSpannedHandlers(above: FrameworkAbove, declare: Function, thisArg: unknown, args: ArrayLike<unknown>): unknown {
  const previous = declaringAbove;
  declaringAbove = above;
  try {
    return Reflect.apply(declare, thisArg, args);
  } finally {
    declaringAbove = previous;
  }
}

/**
 * For a platform instrumentation, as a route is declared on it: the framework above that spans the
 * route's handler (inside declareSpannedHandlers), or undefined. While it is `enabled` the route gets
 * no handler span of the platform's, only its template on the server span; should it turn itself off
 * (our own fault), the platform's span is back.
 */
export function handlerSpannedAbove(): FrameworkAbove | undefined {
  return declaringAbove;
}

/**
 * A handler raised `error` (threw, rejected, or passed it on as express's next(err)): an exception
 * event on the server span, once per error object. If the response then ends with a 5xx, error.type
 * is the error's type (src/core/error-type.ts) instead of the status code, and the status message is
 * the error's message. Never throws; the caller rethrows or passes on the same object as before.
 */
export function recordHandlerError(request: HttpServerRequest, error: unknown): void {
  const state = request as ServerRequestState;
  if (state.hasHandlerError && state.handlerError === error) return;
  state.handlerError = error;
  state.hasHandlerError = true;
  try {
    state.span.addEvent('exception', exceptionAttributes(error));
  } catch (internal) {
    // Our fault (or a hostile getter on the error): it must not reach the app.
    diag.debug(`http: recording a handler error failed: ${String(internal)}`);
  }
}
