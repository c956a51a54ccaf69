// One fastify instance, as fastify announces it on 'fastify.initialization' at the end of its
// factory, before the app adds anything to it. For a version in range:
// - the server-span hooks (server-span-hooks.ts), first in the instance's onRequest and onError lists;
// - fastify 5: the handler span from fastify's tracing channel (handler-channel.ts), nothing wrapped;
// - an onRoute hook: fastify 4 wraps each route's handler there (handler-wrapper.ts); a route whose
//   handler the framework above spans (NestJS) is left unwrapped on 4 and noted on 5 (spanned-above.ts);
// - with OTEL_NODE_FASTIFY_HOOK_SPANS on: addHook wrapped, and each route's own hooks (hook-spans.ts).
// Child instances (plugins) inherit all of it from this one.

import type { Telemetry } from '../../src/hook/instrumentation.js';
import { diag } from '../../src/diag/log.js';
import { wrap } from '../../src/hook/patch.js';
import { subscribeHandlerChannel } from './handler-channel.js';
import { wrapRouteHandler } from './handler-wrapper.js';
import { handlerSpannedAbove } from '../http/framework-api.js';
import { noteSpannedAbove } from './spanned-above.js';
import { HOOK_NAMES, isRequestHook, wrapHook, wrapRouteHooks } from './hook-spans.js';
import { otelRecordError, otelRecordRoute } from './server-span-hooks.js';
import { FASTIFY_VERSIONS, hasHandlerChannel, isSupportedVersion } from './supported-versions.js';
import { configureFastify, guard, hookSpansOn } from './telemetry.js';

type AnyFunction = (this: unknown, ...args: never[]) => unknown;

interface FastifyLike {
  readonly version?: unknown;
  addHook(name: string, fn: AnyFunction): unknown;
}

type RouteOptions = Record<string, unknown> & { url?: unknown; method?: unknown; handler?: unknown };

const reported = new Set<string>();

/**
 * onRoute: fastify 4's handler wrapper, or on fastify 5 a note of a route whose handler the framework
 * above fastify spans (spanned-above.ts); and, with hook spans on, the route's own hooks.
 */
function routeWrapper(wrapHandler: boolean, hookSpans: boolean) {
  return function otelWrapRoute(this: unknown, routeOptions: RouteOptions): void {
    if (!guard.enabled) return;
    try {
      const route = routeOptions.url;
      if (typeof route !== 'string') return;
      const handler = routeOptions.handler;
      const above = handlerSpannedAbove();
      if (wrapHandler) {
        if (typeof handler === 'function') routeOptions.handler = wrapRouteHandler(handler as AnyFunction, route, above);
      } else if (above !== undefined) {
        noteSpannedAbove(this, route, routeOptions.method, above);
      }
      if (!hookSpans) return;
      const origin = { route };
      for (const hookName of HOOK_NAMES) {
        const value = routeOptions[hookName];
        if (value !== undefined && value !== null) routeOptions[hookName] = wrapRouteHooks(hookName, value, origin);
      }
    } catch (error) {
      guard.fail(error);
    }
  };
}

function wrapAddHook(instance: FastifyLike): void {
  wrap(instance, 'addHook', (original) =>
    function addHook(this: unknown, name: unknown, fn: unknown) {
      if (guard.enabled && typeof fn === 'function' && isRequestHook(name)) {
        let wrapped: AnyFunction | undefined;
        try {
          wrapped = wrapHook(name, fn as AnyFunction, {});
        } catch (error) {
          guard.fail(error);
        }
        if (wrapped !== undefined) {
          const args = Array.prototype.slice.call(arguments) as unknown[];
          args[1] = wrapped;
          return Reflect.apply(original, this, args);
        }
      }
      return Reflect.apply(original, this, arguments);
    },
  );
}

export function instrumentInstance(instance: unknown, telemetry: Telemetry): void {
  if (!guard.enabled || instance === null || typeof instance !== 'object') return;
  const fastify = instance as FastifyLike;
  const version = fastify.version;
  if (!isSupportedVersion(version)) {
    const key = String(version);
    if (!reported.has(key)) {
      reported.add(key);
      diag.debug(`fastify@${key} is outside fastify's supported range ${FASTIFY_VERSIONS}; left alone`);
    }
    return;
  }
  try {
    configureFastify(telemetry);
    const channel = hasHandlerChannel(version as string);
    const hookSpans = hookSpansOn();
    if (channel) subscribeHandlerChannel();
    fastify.addHook('onRequest', otelRecordRoute);
    fastify.addHook('onError', otelRecordError);
    // Every version: a route the framework above fastify declares is noted or left unwrapped there.
    fastify.addHook('onRoute', routeWrapper(!channel, hookSpans));
    // Last: our own hooks above are not the app's and get no span.
    if (hookSpans) wrapAddHook(fastify);
  } catch (error) {
    guard.fail(error);
  }
}
