// The matched route's handler. @koa/router and koa-router run a request through a chain they
// build per request: for each matched layer, a step that sets ctx._matchedRoute (and params) to
// that layer, then the layer's own `stack` of functions. Neither router exposes a per-request hook
// between the two, so at registration (router-registration.ts) the first function of a route
// layer's stack, the handler the app wrote, is replaced in that stack by a wrapper made once.
//
// Per request the wrapper, finding ctx._matchedRoute just set to its layer's full template:
//   - names the http server span after the route (framework-api setRoute; the last route that
//     runs wins, as when a route passes on to another with next());
//   - runs the handler in an INTERNAL span under the active one (the server span, unless the app
//     made its own), so the handler's outgoing calls nest under it; the route's later functions,
//     which the first calls through next(), run inside it too;
//   - records a throw or rejection on that span and on the server span (recordHandlerError), also
//     when an error-handling middleware of the app answers it itself.
// The handler's return value goes back unchanged. Only a native promise is watched for its end (a
// second .then on another thenable could run it twice: query builders start on .then); for any
// other value the span ends on return.
//
// Router middleware (router.use) and koa's app.use middleware get no spans: in koa's onion each
// would enclose everything after it, a staircase of spans per request repeating the server span,
// at a cost on every request; the route-named server span and this one span say what ran.
// Param middleware (router.param), which the routers keep first in a layer's stack, stays outside.

import type { Tracer } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { httpServerRequest, recordHandlerError, setRoute } from '../http/framework-api.js';
import { HandlerRun, type HandlerFailure } from '../http/handler-run.js';
import { guard } from './guard.js';
import { HandlerSpanNaming, markHandlerFailed, routeTemplate } from './handler-span.js';
import { keepShape } from '../../src/hook/patch.js';

type Middleware = (...args: unknown[]) => unknown;

interface RouterLayer {
  methods?: unknown;
  stack?: unknown;
}

interface KoaContextLike {
  req?: unknown;
  _matchedRoute?: unknown;
}

let tracer: Tracer | undefined;

/** The first router patched fixes the tracer (every target gets the same one). */
export function useHandlerTracer(t: Tracer): void {
  tracer ??= t;
}

/** Our wrappers, so a stack array two layers share (`router.get(['/a', '/b'], fn)`) is wrapped once. */
const wrappers = new WeakSet<Middleware>();

/** A handler's failure: on its span (a 4xx keeps the span's status), and on the server span. */
const onFailure: HandlerFailure = (span, server, error) => {
  if (span !== undefined) markHandlerFailed(span, error);
  if (server !== undefined) recordHandlerError(server, error);
};

function startRun(ctx: unknown, naming: HandlerSpanNaming): HandlerRun | undefined {
  if (ctx === null || typeof ctx !== 'object') return undefined;
  const template = routeTemplate((ctx as KoaContextLike)._matchedRoute);
  // Called some other way than by a router's chain: nothing to say about it.
  if (template === undefined) return undefined;
  const req = (ctx as KoaContextLike).req;
  const server = req !== null && typeof req === 'object' ? httpServerRequest(req) : undefined;
  if (server !== undefined) setRoute(server, template);
  const parent = activeContext();
  // Outside any trace (an excluded URL, the app's own call): no span of its own either.
  if (tracer === undefined || trace.getSpan(parent) === undefined) return undefined;
  const span = tracer.startSpan(naming.name(template), naming.options(template), parent);
  return new HandlerRun(span, server, trace.setSpan(parent, span), onFailure, guard);
}

function wrapHandler(original: Middleware): Middleware {
  const naming = new HandlerSpanNaming();
  const wrapper = function (this: unknown) {
    if (!guard.enabled) return Reflect.apply(original, this, arguments);
    let run: HandlerRun | undefined;
    try {
      run = startRun(arguments[0], naming);
    } catch (internal) {
      guard.fail(internal);
    }
    if (run === undefined) return Reflect.apply(original, this, arguments);
    // koa-compose turns a synchronous throw into a rejection; it goes on as the same object.
    return run.call(original, this, arguments);
  };
  // The app's function keeps its name and arity wherever it is looked at (router.stack, debug output).
  keepShape(wrapper, original);
  wrappers.add(wrapper);
  return wrapper;
}

/**
 * Wraps the handler of a layer the router just registered, if it is a route (it answers methods;
 * router.use middleware answers none). The layer's stack is changed in place: the routers copy or
 * share that very array when a router is mounted in another, and insert param middleware into it.
 */
export function wrapRouteHandler(layer: unknown): void {
  if (layer === null || typeof layer !== 'object') return;
  const { methods, stack } = layer as RouterLayer;
  if (!Array.isArray(methods) || methods.length === 0 || !Array.isArray(stack)) return;
  for (let i = 0; i < stack.length; i++) {
    const fn: unknown = stack[i];
    if (typeof fn !== 'function' || wrappers.has(fn as Middleware)) return;
    // Param middleware carries the parameter's name and runs before the handler.
    if ((fn as { param?: unknown }).param !== undefined) continue;
    stack[i] = wrapHandler(fn as Middleware);
    return;
  }
}
