// What runs in place of one route's handler (router-add.ts puts it there, in the router only): hono
// calls it as handler(c, next) from its compose(), or directly when only that handler matched.
//
// On @hono/node-server, c.env.incoming is node's IncomingMessage: the way back to http's server
// request. A handler that runs makes its path template the request's route (http names the span
// `{method} {route}` from it); one that passes the request on by calling next() gives it back to the
// route before it. A middleware (`app.use('*', ...)`) that answers itself leaves the route hono matched
// the request to, or, when none did, is the route; a request nothing answers keeps no route. A handler
// that does not declare `next` is a request handler: it gets an INTERNAL span, active while it runs.
// Middleware (declaring `next`) gets none: it would wrap everything after it, and costs every request.
// What a handler throws or rejects with is recorded unless it is an HTTPException below 500
// (http-exception.ts); hono's error handler still answers.

import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { Guard } from '../../src/hook/guard.js';
import { keepShape } from '../../src/hook/patch.js';
import { httpServerRequest, routeOf, setRoute, type HttpServerRequest } from '../http/framework-api.js';
import { HandlerRun, serverFailures } from '../http/handler-run.js';
import { ATTR_HTTP_ROUTE } from '../http/semconv.js';
import { isServerFailure } from './http-exception.js';

export const guard = new Guard('hono');

/** What a handler throws or rejects with is recorded unless hono answers it below 500 (http-exception.ts). */
const onFailure = serverFailures(isServerFailure);

let tracer: Tracer | undefined;

/** The first patched module hands over the instrumentation's tracer. */
export function useTracer(t: Tracer): void {
  tracer ??= t;
}

type Handler = (...args: unknown[]) => unknown;

const WRAPPED = Symbol('otel-instrument.hono.route-handler');
// hono's mark on the handler app.route() makes for a sub-app with its own onError: the app's handler
// inside it, which that wrapper runs with the sub-app's error handler around it.
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

/** The app's handler inside a sub-app's composed one, if `handler` is that. */
function composedInner(handler: Function): unknown {
  return (handler as unknown as Record<string, unknown>)[COMPOSED_HANDLER];
}

/** The app's function (a sub-app's: the one inside) declares `next`: a middleware, which may pass the request on. */
function declaresNext(handler: Function): boolean {
  const inner = composedInner(handler);
  return (typeof inner === 'function' ? inner : handler).length >= 2;
}

/** One registered route: what every call of its handler needs, made once. */
class Route {
  readonly handler: Handler;
  readonly path: string;
  /** The app's function declares `next`: it may pass the request on. */
  readonly passesOn: boolean;
  /** A sub-app's handler inside its own error handler: what it throws shows only as `c.error`. */
  readonly composed: boolean;
  readonly spanName: string;
  readonly spanOptions: SpanOptions;

  constructor(handler: Handler, path: string) {
    this.handler = handler;
    this.path = path;
    this.composed = typeof composedInner(handler) === 'function';
    this.passesOn = declaresNext(handler);
    this.spanName = `request handler - ${path}`;
    this.spanOptions = { kind: SpanKind.INTERNAL, attributes: { [ATTR_HTTP_ROUTE]: path } };
  }
}

export function isWrappedHandler(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { [WRAPPED]?: boolean })[WRAPPED] === true;
}

/** The handler the router hands hono for `handler` registered at `path`. Made once, at registration. */
export function wrapRouteHandler(handler: Handler, path: string): Handler {
  const route = new Route(handler, path);
  const wrapped = function (this: unknown) {
    return run(route, this, arguments);
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return keepShape(wrapped, handler);
}

/** One call of a route's handler, for one request. */
class HonoRun extends HandlerRun {
  readonly composed: boolean;
  readonly c: { error?: unknown };
  /** c.error before a sub-app's handler ran: a new value afterwards is what its handler threw. */
  readonly errorBefore: unknown;

  constructor(route: Route, server: HttpServerRequest, c: { error?: unknown }, span: Span | undefined, context: Context | undefined) {
    super(span, server, context, onFailure, guard);
    this.composed = route.composed;
    this.c = c;
    this.errorBefore = route.composed ? c.error : undefined;
  }

  /** A sub-app's handler that threw returns normally: its error handler answered, and left it in c.error. */
  override settled(value: unknown): void {
    const caught = this.composed ? this.c.error : undefined;
    if (caught !== undefined && caught !== this.errorBefore) this.end(caught, true);
    else super.settled(value);
  }
}

/** http's server request for hono's context `c`, reached through @hono/node-server's c.env.incoming. */
function serverRequestOf(c: unknown): HttpServerRequest | undefined {
  if (c === null || typeof c !== 'object') return undefined;
  const env = (c as { env?: unknown }).env;
  if (env === null || typeof env !== 'object') return undefined;
  const incoming = (env as { incoming?: unknown }).incoming;
  return incoming !== null && typeof incoming === 'object' ? httpServerRequest(incoming) : undefined;
}

/** hono's `next`, which first gives the request back to the route before this handler's. */
function passingOn(server: HttpServerRequest, routeBefore: string | undefined, honoNext: Handler): Handler {
  return function next(this: unknown) {
    setRoute(server, routeBefore);
    return Reflect.apply(honoNext, this, arguments);
  };
}

/**
 * The route hono matched this request to: the first matched handler that does not declare `next`, the
 * one that answers once the middleware passes the request on. Undefined when only middleware matched.
 */
function endpointRouteOf(c: unknown): string | undefined {
  const routes = (c as { req?: { matchedRoutes?: unknown } } | null)?.req?.matchedRoutes;
  if (!Array.isArray(routes)) return undefined;
  for (const matched of routes as { path?: unknown; handler?: unknown }[]) {
    const handler = matched?.handler;
    if (typeof handler === 'function' && !declaresNext(handler) && typeof matched.path === 'string') return matched.path;
  }
  return undefined;
}

/** Sets the route and starts the span; undefined when the request has no http server span (app.request(), another runtime). */
function enter(route: Route, args: IArguments): HonoRun | undefined {
  const c = args[0];
  const server = serverRequestOf(c);
  if (server === undefined) return undefined;
  const routeBefore = routeOf(server);
  // A middleware that answers or throws (an auth check) leaves the request on the route it was matched
  // to, as express and fastify do; its own pattern only when no route matched.
  setRoute(server, route.passesOn ? (endpointRouteOf(c) ?? route.path) : route.path);
  if (route.passesOn) {
    const next = args[1];
    // The arguments object is handed on as it is, with this one `next` replaced.
    if (typeof next === 'function') args[1] = passingOn(server, routeBefore, next as Handler);
    return new HonoRun(route, server, c as { error?: unknown }, undefined, undefined);
  }
  if (tracer === undefined || !server.span.isRecording()) return new HonoRun(route, server, c as { error?: unknown }, undefined, undefined);
  const parent = activeContext();
  const span = tracer.startSpan(route.spanName, route.spanOptions, parent);
  return new HonoRun(route, server, c as { error?: unknown }, span, trace.setSpan(parent, span));
}

function run(route: Route, self: unknown, args: IArguments): unknown {
  let call: HonoRun | undefined;
  if (guard.enabled) {
    try {
      call = enter(route, args);
    } catch (internal) {
      guard.fail(internal);
    }
  }
  return call === undefined ? Reflect.apply(route.handler, self, args) : call.call(route.handler, self, args);
}
