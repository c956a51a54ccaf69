// Every lifecycle method hapi runs for a request (extensions, auth, prerequisites, the route handler,
// failAction) goes through its toolkit's execute(method, request, options): it calls the method with a
// fresh `h`, awaits it, and turns a throw into the Boom it returns. That one method is wrapped, on the
// toolkit Manager's prototype, so hapi's lifecycle (order, timing, responses, error mapping) is its own:
// - the route's handler (method === request.route.settings.handler) runs with its own INTERNAL span
//   active, so what it calls (an outgoing request, a query) is that span's child;
// - a Boom of 500 and above (or anything not a Boom) that a method ended with is recorded on the
//   handler's span when it was the handler, and on http's server span (recordHandlerError): the
//   exception event, and error.type the error's own type when hapi then answers 5xx. A Boom below 500
//   is hapi's answer (boom-status.ts), recorded nowhere.
// The promise hapi awaits is execute's own; a reaction is added beside hapi's await, nothing chained.
// onPostResponse extensions (ignoreResponse) run after the response: they are left alone.

import type { Tracer } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';
import { httpServerRequest } from '../http/framework-api.js';
import { HandlerRun, serverFailures } from '../http/handler-run.js';
import { isBoom, isServerFailure } from './boom-status.js';
import { guard } from './guard.js';
import { handlerSpanOf } from './handler-span.js';
import { appRouteOf, type HapiRequest } from './route-lookup.js';

type Execute = (this: unknown, method: unknown, request: unknown, options: unknown) => unknown;

let tracer: Tracer | undefined;

/** The first patched module hands over the instrumentation's tracer. */
export function useTracer(t: Tracer): void {
  tracer ??= t;
}

/** A Boom of 500 and above, or anything not a Boom, on the handler's span and the server span. */
const onFailure = serverFailures(isServerFailure);

/** One lifecycle method run for one request: execute resolves with a Boom for what the method threw or returned as its error. */
class LifecycleRun extends HandlerRun {
  override settled(response: unknown): void {
    if (isBoom(response)) this.end(response, true);
    else super.settled(response);
  }
}

/** Undefined when there is nothing to record: no http server span (server.inject()), or an onPostResponse extension. */
function startCall(method: unknown, request: unknown, options: unknown): LifecycleRun | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  if (options !== null && typeof options === 'object' && (options as { ignoreResponse?: unknown }).ignoreResponse === true) return undefined;
  const req = (request as HapiRequest).raw?.req;
  const server = req !== null && typeof req === 'object' ? httpServerRequest(req) : undefined;
  if (server === undefined) return undefined;
  const route = appRouteOf(request as HapiRequest);
  if (route === undefined || method !== route.settings?.handler || tracer === undefined || !server.span.isRecording()) {
    return new LifecycleRun(undefined, server, undefined, onFailure, guard);
  }
  const handler = handlerSpanOf(route);
  const parent = activeContext();
  const span = tracer.startSpan(handler.name, handler.options, parent);
  return new LifecycleRun(span, server, trace.setSpan(parent, span), onFailure, guard);
}

export function patchToolkitManager(proto: object): void {
  wrap(proto as { execute: Execute }, 'execute', (original) =>
    function execute(this: unknown, method: unknown, request: unknown, options: unknown) {
      let call: LifecycleRun | undefined;
      if (guard.enabled) {
        try {
          call = startCall(method, request, options);
        } catch (internal) {
          guard.fail(internal);
        }
      }
      // execute is an async function: a throw is not expected, but would go on as the same object.
      return call === undefined ? original.call(this, method, request, options) : call.call(original, this, arguments);
    },
  );
}
