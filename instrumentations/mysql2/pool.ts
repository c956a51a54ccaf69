// Context through mysql2's pool: a caller that waits for a connection is called back later by
// whichever query released one, in that query's context. getConnection's callback is bound to its
// caller's context, so pool.query/execute (which call getConnection), pool.getConnection, the promise
// pool and PoolCluster all issue their query in the context of the request that asked for it: its span
// is that request's child even after waiting in the queue.

import { activeContext, bindToContext } from '../../src/context/als-context-manager.js';
import { wrap } from '../../src/hook/patch.js';

type AnyFunction = (...args: any[]) => any;
/** Patches lib/pool.js's class (its exports): getConnection, where it is defined. */
export function patchPoolClass(exports: unknown): unknown {
  let owner = typeof exports === 'function' ? (exports.prototype as object | null) : null;
  while (owner !== null && owner !== Object.prototype && !Object.prototype.hasOwnProperty.call(owner, 'getConnection')) owner = Object.getPrototypeOf(owner) as object | null;
  if (owner === null || owner === Object.prototype) return exports;
  wrap(owner as { getConnection: AnyFunction }, 'getConnection', (original) => {
    return function (this: unknown, callback: unknown): unknown {
      if (typeof callback !== 'function' || arguments.length !== 1) return Reflect.apply(original, this, arguments);
      return original.call(this, bindToContext(activeContext(), callback as AnyFunction));
    };
  });
  return exports;
}
