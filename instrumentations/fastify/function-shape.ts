// What fastify reads off the functions an app gives it, kept on the wrappers we hand it instead:
// `length` and `constructor.name` decide a hook's style and whether it is valid
// (`fn.constructor.name === 'AsyncFunction' && fn.length === 3` is refused), and `name` shows in
// printRoutes() and errors. The wrapper keeps the original's prototype, so an async function's
// wrapper still has AsyncFunction as its constructor, while returning the original's own promise.

import { keepShape } from '../../src/hook/patch.js';

type AnyFunction = (...args: never[]) => unknown;

export function sameShape<W extends AnyFunction>(wrapper: W, original: AnyFunction): W {
  keepShape(wrapper, original);
  const proto = Object.getPrototypeOf(original) as object | null;
  if (proto !== Object.getPrototypeOf(wrapper)) Object.setPrototypeOf(wrapper, proto);
  return wrapper;
}
