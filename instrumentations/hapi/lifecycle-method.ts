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

import type { Context, Span, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, runWithContext } from '../../src/context/als-context-manager.js';
import { errorMessage, exceptionAttributes } from '../../src/core/exception-attributes.js';
import { wrap } from '../../src/hook/patch.js';
import { httpServerRequest, recordHandlerError, type HttpServerRequest } from '../http/framework-api.js';
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

/** One lifecycle method run for one request. */
class LifecycleCall {
  readonly server: HttpServerRequest;
  /** The handler's span; undefined for the other lifecycle methods (and an unsampled request). */
  readonly span: Span | undefined;
  /** The context the handler runs in: its span's. */
  readonly context: Context | undefined;

  constructor(server: HttpServerRequest, span: Span | undefined, context: Context | undefined) {
    this.server = server;
    this.span = span;
    this.context = context;
  }

  /** execute resolved with the method's response: a Boom is what the method threw or returned as its error. */
  settled(response: unknown): void {
    const failed = isBoom(response);
    this.end(failed ? response : undefined, failed);
  }

  end(error: unknown, failed: boolean): void {
    try {
      const span = this.span;
      if (failed && isServerFailure(error)) {
        if (span !== undefined) {
          span.addEvent('exception', exceptionAttributes(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        }
        recordHandlerError(this.server, error);
      }
      if (span !== undefined) span.end();
    } catch (internal) {
      guard.fail(internal);
    }
  }
}

/** Undefined when there is nothing to record: no http server span (server.inject()), or an onPostResponse extension. */
function startCall(method: unknown, request: unknown, options: unknown): LifecycleCall | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  if (options !== null && typeof options === 'object' && (options as { ignoreResponse?: unknown }).ignoreResponse === true) return undefined;
  const req = (request as HapiRequest).raw?.req;
  const server = req !== null && typeof req === 'object' ? httpServerRequest(req) : undefined;
  if (server === undefined) return undefined;
  const route = appRouteOf(request as HapiRequest);
  if (route === undefined || method !== route.settings?.handler || tracer === undefined || !server.span.isRecording()) {
    return new LifecycleCall(server, undefined, undefined);
  }
  const handler = handlerSpanOf(route);
  const parent = activeContext();
  const span = tracer.startSpan(handler.name, handler.options, parent);
  return new LifecycleCall(server, span, trace.setSpan(parent, span));
}

function invoke(original: Execute, self: unknown, method: unknown, request: unknown, options: unknown): unknown {
  return original.call(self, method, request, options);
}

function observe(call: LifecycleCall, result: unknown): void {
  if (!(result instanceof Promise)) {
    call.settled(result);
    return;
  }
  try {
    result.then(
      (response: unknown) => call.settled(response),
      (error: unknown) => call.end(error, true),
    );
  } catch (internal) {
    guard.fail(internal);
  }
}

export function patchToolkitManager(proto: object): void {
  wrap(proto as { execute: Execute }, 'execute', (original) =>
    function execute(this: unknown, method: unknown, request: unknown, options: unknown) {
      let call: LifecycleCall | undefined;
      if (guard.enabled) {
        try {
          call = startCall(method, request, options);
        } catch (internal) {
          guard.fail(internal);
        }
      }
      if (call === undefined) return original.call(this, method, request, options);
      let result: unknown;
      try {
        const context = call.context;
        result =
          context === undefined
            ? original.call(this, method, request, options)
            : runWithContext(context, invoke, original, this, method, request, options);
      } catch (thrown) {
        // execute is an async function: this is not expected, but the same object goes on.
        call.end(thrown, true);
        throw thrown;
      }
      observe(call, result);
      return result;
    },
  );
}
