// Router.prototype.register is wrapped, at registration time only: every way @koa/router and
// koa-router add a layer (get/post/..., all, redirect, use) goes through it, and it returns the
// new layer (or the router itself, after registering an array of paths one by one through the
// same, wrapped, method). Route layers get their handler wrapped (route-handler.ts).

import { wrap } from '../../src/hook/patch.js';
import { guard } from './guard.js';
import { wrapRouteHandler } from './route-handler.js';

type Register = (...args: unknown[]) => unknown;

export function patchRouterPrototype(proto: object): void {
  wrap(proto as { register: Register }, 'register', (original) =>
    function register(this: unknown) {
      const layer = Reflect.apply(original, this, arguments);
      if (guard.enabled && layer !== this) {
        try {
          wrapRouteHandler(layer);
        } catch (error) {
          guard.fail(error);
        }
      }
      return layer;
    },
  );
}
