// The function Nest runs for every request of one route: RouterExecutionContext#create returns it
// (router-execution-context.ts) and Nest's RouterProxy awaits it, sending whatever it rejects with to
// the exception filters. It is handed back wrapped; per request the wrapper
//   - names the http server span after the platform's matched route, if nothing did yet (express's
//     and fastify's instrumentations normally have, with the same template);
//   - runs the route in an INTERNAL span `{Controller}.{method}` (handler-span.ts) under the active
//     one, so the method's outgoing calls nest under it; guards, pipes and interceptors run inside it
//     and get no spans of their own;
//   - when the route's promise rejects with a server failure (http-exception.ts), records it on that
//     span and on the server span (recordHandlerError), before Nest's filter answers it: the answer
//     does not say what failed.
// The route's own promise goes back to Nest unchanged; ours is a side branch that never rejects, so
// the order in which Nest's code runs is the same as without us.

import type { Tracer } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { httpServerRequest, routeOf, setRoute } from '../http/framework-api.js';
import { HandlerRun, serverFailures } from '../http/handler-run.js';
import { guard } from './guard.js';
import type { HandlerSpanNaming } from './handler-span.js';
import { isServerFailure } from './http-exception.js';
import { nodeRequest, platformRoute } from './platform-request.js';
import { keepShape } from '../../src/hook/patch.js';

export type RouteFunction = (this: unknown, req: unknown, res: unknown, next: unknown) => unknown;

let tracer: Tracer | undefined;

/** The first @nestjs/core patched fixes the tracer. */
export function useTracer(t: Tracer): void {
  tracer ??= t;
}

/** A server failure (http-exception.ts) is recorded on the route's span and on the server span; a 4xx is Nest's answer. */
const onFailure = serverFailures(isServerFailure);

function startRun(req: unknown, naming: HandlerSpanNaming): HandlerRun | undefined {
  const node = nodeRequest(req);
  const server = node === undefined ? undefined : httpServerRequest(node);
  if (server !== undefined && routeOf(server) === undefined) {
    const route = platformRoute(req);
    if (route !== undefined) setRoute(server, route);
  }
  const parent = activeContext();
  // Outside any trace (an excluded URL, fastify's inject()): no span, as express and fastify make none there.
  if (tracer === undefined || trace.getSpan(parent) === undefined) {
    return server === undefined ? undefined : new HandlerRun(undefined, server, parent, onFailure, guard);
  }
  const span = tracer.startSpan(naming.name, naming.options, parent);
  return new HandlerRun(span, server, trace.setSpan(parent, span), onFailure, guard);
}

/** `route` (what create() returned), run as described above; made once per route. */
export function wrapRouteFunction(route: RouteFunction, naming: HandlerSpanNaming): RouteFunction {
  // No named parameters beside `arguments` (Nest calls it with (req, res, next)): the arguments are handed on as they came.
  const wrapper = function (this: unknown) {
    if (!guard.enabled) return Reflect.apply(route, this, arguments);
    let run: HandlerRun | undefined;
    try {
      run = startRun(arguments[0], naming);
    } catch (internal) {
      guard.fail(internal);
    }
    if (run === undefined) return Reflect.apply(route, this, arguments);
    // Nest's route function is async and never throws; should another one, the same object goes on.
    return run.call(route, this, arguments);
  } as RouteFunction;
  return keepShape(wrapper, route);
}
