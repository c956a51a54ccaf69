// fastify 4: no release publishes the handler tracing channel, so each route's handler is wrapped
// when the route is declared (an onRoute hook, the API fastify gives plugins to change a route's
// options). The wrapper runs the handler with its span active and returns exactly what it returned;
// fastify binds and calls the wrapper as it would have the handler.

import type { IncomingMessage } from 'node:http';
import { trace } from '../../src/otel-api/trace.js';
import { httpServerRequest, routeOf, type FrameworkAbove } from '../http/framework-api.js';
import { activeContext, applyInContext } from '../../src/context/als-context-manager.js';
import { handlerReturned, startHandlerSpan, type ReplyLike } from './handler-span.js';
import { sameShape } from './function-shape.js';
import { isNativePromise } from '../http/handler-run.js';
import { settleFor } from '../../src/hook/call-outcome.js';
import type { StepSpan } from './step-span.js';
import { guard } from './telemetry.js';

type Handler = (this: unknown, ...args: never[]) => unknown;

function isReply(value: unknown): value is ReplyLike {
  return typeof value === 'object' && value !== null && typeof (value as ReplyLike).raw === 'object';
}

interface RequestLike {
  readonly method?: string;
  readonly raw?: IncomingMessage;
}

function start(declared: string, request: RequestLike, reply: unknown): StepSpan | undefined {
  // (request, reply) only: a plugin may call the handler with other arguments (@fastify/websocket: socket, request).
  if (!isReply(reply)) return undefined;
  // The route the onRequest hook gave the server span: one onRoute call stands for both '/api' and
  // '/api/' of a prefix's root route, which fastify 4 knows apart ('/api/' is the second's url).
  const server = request.raw === undefined ? undefined : httpServerRequest(request.raw);
  const route = (server === undefined ? undefined : routeOf(server)) ?? declared;
  return startHandlerSpan(request.method, route, activeContext());
}

/**
 * What the wrapper returns: for a native promise, one settled the same way that ends the span first
 * (settleFor: the handler's keeps one reaction, so an error's async stack still reaches the app's frames).
 */
function watch(step: StepSpan, reply: ReplyLike, result: unknown): unknown {
  if (isNativePromise(result)) {
    return settleFor(
      {
        succeeded(value) {
          try {
            handlerReturned(step, reply, value !== undefined);
          } catch (error) {
            guard.fail(error);
          }
        },
        failed: (error) => step.endFailed(error),
      },
      result,
    );
  } else if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // Another thenable: left to fastify alone; the span lasts until the response closes.
    handlerReturned(step, reply, false);
  } else {
    handlerReturned(step, reply, result !== undefined);
  }
  return result;
}

/**
 * `handler` of `route`, run in its span. `above`: the framework that declared the route spans the
 * handler itself (http's declareSpannedHandlers); while it is on, the handler runs as it is.
 */
export function wrapRouteHandler(handler: Handler, route: string, above?: FrameworkAbove): Handler {
  return sameShape(function routeHandler(this: unknown, request: unknown, reply: unknown) {
    if (!guard.enabled || above?.enabled === true) return Reflect.apply(handler, this, arguments);
    let step: StepSpan | undefined;
    try {
      step = start(route, (request ?? {}) as RequestLike, reply);
    } catch (error) {
      guard.fail(error);
    }
    if (step === undefined) return Reflect.apply(handler, this, arguments);
    let result: unknown;
    try {
      result = applyInContext(trace.setSpan(step.parent, step.span), handler, this, arguments);
    } catch (thrown) {
      // fastify catches it and sends it as the error; the same object goes on.
      step.endFailed(thrown);
      throw thrown;
    }
    try {
      return watch(step, reply as ReplyLike, result);
    } catch (error) {
      guard.fail(error);
    }
    return result;
  }, handler);
}
