// Router#use and Router#route are wrapped (on the prototype, at registration time only) to
// fill the side table. express 4: express/lib/router/index.js exports the prototype itself;
// router@2 (express 5): Router.prototype.

import type { Guard } from '../../src/hook/guard.js';
import { wrap } from '../../src/hook/patch.js';
import { recordRoute, recordUse } from './layer-metadata.js';

type RouterLike = { stack?: unknown; use(...args: unknown[]): unknown; route(path: unknown): unknown };

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
}
