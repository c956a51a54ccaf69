// Where the per-route functions come from: RouterExecutionContext#create(instance, callback,
// methodName, ...) builds, for one controller method, the function Nest calls for each of its
// requests. Its prototype's create is wrapped once, to hand back that function wrapped
// (route-handler.ts); Nest's controllers, their methods and their metadata are never touched.
//
// RouterExecutionContext is internal to @nestjs/core (not exported by its entry point in 10, 11 or
// 12), and @nestjs/core 12 is ES modules only: a CommonJS app loads it with require(esm), and then
// its internal files reach neither the require hook nor any import hook. So the class is reached
// from the entry point's NestApplication instead: NestApplication#registerRouter, which every app
// runs once in init() before it creates any route function, is wrapped to find the instance its
// router explorer creates routes with (`routesResolver.routerExplorer.executionContextCreator`, the
// same path in 10, 11 and 12) and wrap that instance's prototype. One mechanism for require and
// import, CommonJS and ES module builds. The same router explorer declares each route on the
// platform: those declarations are wrapped too, so the platform makes no second handler span.

import { diag } from '../../src/diag/log.js';
import { wrap } from '../../src/hook/patch.js';
import { declareSpannedHandlers } from '../http/framework-api.js';
import { guard } from './guard.js';
import { handlerSpanNaming } from './handler-span.js';
import { wrapRouteFunction, type RouteFunction } from './route-handler.js';

type Create = (this: unknown, ...args: unknown[]) => unknown;

interface NestApplicationLike {
  readonly routesResolver?: { readonly routerExplorer?: { readonly executionContextCreator?: unknown } };
}

/**
 * The RouterExplorer methods that declare a controller method's route on the platform's router:
 * applyCallbackToRouter (10, 11, 12) and registerResolvedRoute (12, when Nest sorts its routes
 * before registering them). Run inside http's declareSpannedHandlers, so that express and fastify
 * give those routes no handler span of their own: the route's span here is the handler span.
 */
const DECLARING_METHODS = ['applyCallbackToRouter', 'registerResolvedRoute'] as const;

function patchRouteDeclarations(explorer: unknown): void {
  const proto: unknown = explorer !== null && typeof explorer === 'object' ? Object.getPrototypeOf(explorer) : undefined;
  if (proto === null || typeof proto !== 'object') return;
  for (const name of DECLARING_METHODS) {
    wrap(proto as Record<string, Create>, name, (original) =>
      function declareRoute(this: unknown) {
        if (!guard.enabled) return Reflect.apply(original, this, arguments);
        return declareSpannedHandlers(guard, original, this, arguments);
      },
    );
  }
}

let reportedMissing = false;

function methodNameOf(methodName: unknown, callback: unknown): string {
  if (typeof methodName === 'string' && methodName !== '') return methodName;
  const name: unknown = typeof callback === 'function' ? callback.name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'anonymous';
}

function patchCreate(proto: object, version: string | undefined): void {
  wrap(proto as { create: Create }, 'create', (original) =>
    function create(this: unknown, instance: unknown, callback: unknown, methodName: unknown) {
      const route = Reflect.apply(original, this, arguments);
      if (!guard.enabled || typeof route !== 'function') return route;
      try {
        return wrapRouteFunction(route as RouteFunction, handlerSpanNaming(instance, methodNameOf(methodName, callback), version));
      } catch (internal) {
        guard.fail(internal);
        return route;
      }
    },
  );
}

/** The prototype whose create this app's routes are made with, wrapped if it was not. */
function patchExecutionContextOf(app: NestApplicationLike, version: string | undefined): void {
  const creator = app.routesResolver?.routerExplorer?.executionContextCreator;
  const proto: unknown = creator !== null && typeof creator === 'object' ? Object.getPrototypeOf(creator) : undefined;
  if (proto === null || typeof proto !== 'object' || typeof (proto as { create?: unknown }).create !== 'function') {
    if (!reportedMissing) {
      reportedMissing = true;
      diag.debug(`nestjs: no RouterExecutionContext found on @nestjs/core@${version ?? 'unknown'}'s application; its routes get no spans`);
    }
    return;
  }
  patchCreate(proto, version);
  patchRouteDeclarations(app.routesResolver?.routerExplorer);
}

/** Wraps NestApplication#registerRouter of one @nestjs/core copy. */
export function patchNestApplication(NestApplication: unknown, version: string | undefined): void {
  const proto: unknown = typeof NestApplication === 'function' ? NestApplication.prototype : undefined;
  if (proto === null || typeof proto !== 'object') return;
  wrap(proto as { registerRouter: Create }, 'registerRouter', (original) =>
    function registerRouter(this: unknown) {
      if (guard.enabled && this !== null && typeof this === 'object') {
        try {
          patchExecutionContextOf(this as NestApplicationLike, version);
        } catch (internal) {
          guard.fail(internal);
        }
      }
      return Reflect.apply(original, this, arguments);
    },
  );
}
