// Router#use and Router#route are wrapped (on the prototype, at registration time only) to
// fill the side table, and Router#param to wrap the param callbacks it registers
// (param-callbacks.ts). express 4: express/lib/router/index.js exports the prototype itself;
// router@2 (express 5): Router.prototype.

import type { Guard } from '../../src/hook/guard.js';
import { wrap } from '../../src/hook/patch.js';
import { recordRoute, recordUse } from './layer-metadata.js';
import { wrapParamCallback } from './param-callbacks.js';

type RouterLike = { stack?: unknown; use(...args: unknown[]): unknown; route(path: unknown): unknown; param(name: unknown, fn: unknown): unknown };

function stackLength(router: RouterLike): number {
  return Array.isArray(router.stack) ? router.stack.length : 0;
}

export function patchRouterPrototype(proto: object, guard: Guard): void {
  const target = proto as RouterLike;
  wrap(target, 'use', (original) =>
    function use(this: RouterLike) {
      const before = stackLength(this);
      const result = Reflect.apply(original, this, arguments);
      if (guard.enabled) {
        try {
          recordUse(this.stack, before, arguments[0]);
        } catch (error) {
          guard.fail(error);
        }
      }
      return result;
    },
  );
  wrap(target, 'route', (original) =>
    function route(this: RouterLike) {
      const before = stackLength(this);
      const result = Reflect.apply(original, this, arguments);
      if (guard.enabled) {
        try {
          recordRoute(this.stack, before, arguments[0]);
        } catch (error) {
          guard.fail(error);
        }
      }
      return result;
    },
  );
  wrap(target, 'param', (original) =>
    function param(this: RouterLike, name: unknown, fn: unknown) {
      // param(fn), express 4's deprecated way to change how params are registered, is left alone.
      if (!guard.enabled || typeof fn !== 'function' || typeof name === 'function') return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments) as unknown[];
      try {
        args[1] = wrapParamCallback(fn as Parameters<typeof wrapParamCallback>[0], guard);
      } catch (error) {
        guard.fail(error);
      }
      return Reflect.apply(original, this, args);
    },
  );
}
