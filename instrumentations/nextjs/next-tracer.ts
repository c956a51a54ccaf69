// Next's tracer (next/dist/server/lib/trace/tracer.js, one module for the server and the compiled
// route runtimes, which require it rather than bundle it): three of its methods, on its prototype.
// - trace('BaseServer.handleRequest', { kind: SERVER, ... }, fn): inside a request http already made
//   a SERVER span for, the span starts as INTERNAL instead (index.ts says why); all else as Next asks.
// - setRootSpanAttribute('next.route', route): Next naming the route that answers ('/products/[id]');
//   the first one per handleRequest becomes the request's http.route, as Next keeps the first.
// - withPropagatedContext(carrier, fn, getter, force): Next 16 forces the context it extracts from
//   the request's headers on the render pass after a middleware, from an empty context; the request
//   of ours is carried over into it.

import { activeContext, runWithContext } from '../../src/context/als-context-manager.js';
import { SpanKind } from '../../src/otel-api/enums.js';
import { wrap } from '../../src/hook/patch.js';
import { setRoute } from '../http/framework-api.js';
import { contextWithRequest, currentRequest, guard, type NextRequest } from './request-scope.js';

/** BaseServerSpan.handleRequest in Next's trace/constants.js. */
const HANDLE_REQUEST = 'BaseServer.handleRequest';
const NEXT_ROUTE = 'next.route';

type Method = (...args: unknown[]) => unknown;

function asInternal(options: unknown): object | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  if ((options as { kind?: unknown }).kind !== SpanKind.SERVER || currentRequest() === undefined) return undefined;
  return { ...options, kind: SpanKind.INTERNAL };
}

function namedRoute(value: unknown): void {
  if (typeof value !== 'string') return;
  const request = currentRequest();
  if (request === undefined || request.routed) return;
  request.routed = true;
  setRoute(request.server, value);
}

function runInRequest(request: NextRequest, fn: Method): unknown {
  return runWithContext(contextWithRequest(activeContext(), request), fn);
}

export function patchNextTracer(proto: object): void {
  const target = proto as Record<'trace' | 'setRootSpanAttribute' | 'withPropagatedContext', Method>;
  wrap(target, 'trace', (original) =>
    function trace(this: unknown, type: unknown, options: unknown) {
      if (type !== HANDLE_REQUEST || !guard.enabled) return Reflect.apply(original, this, arguments);
      let internal: object | undefined;
      try {
        internal = asInternal(options);
      } catch (error) {
        guard.fail(error);
      }
      if (internal === undefined) return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments);
      args[1] = internal;
      return Reflect.apply(original, this, args);
    },
  );
  wrap(target, 'setRootSpanAttribute', (original) =>
    function setRootSpanAttribute(this: unknown, key: unknown, value: unknown) {
      const result = Reflect.apply(original, this, arguments);
      if (key === NEXT_ROUTE && guard.enabled) {
        try {
          namedRoute(value);
        } catch (error) {
          guard.fail(error);
        }
      }
      return result;
    },
  );
  wrap(target, 'withPropagatedContext', (original) =>
    function withPropagatedContext(this: unknown, _carrier: unknown, fn: unknown) {
      // Only a forced propagation (Next 16's fourth argument) may drop what the active context holds.
      if (arguments[3] !== true || typeof fn !== 'function' || !guard.enabled) return Reflect.apply(original, this, arguments);
      let request: NextRequest | undefined;
      try {
        request = currentRequest();
      } catch (error) {
        guard.fail(error);
      }
      if (request === undefined) return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments);
      args[1] = () => runInRequest(request, fn as Method);
      return Reflect.apply(original, this, args);
    },
  );
}
