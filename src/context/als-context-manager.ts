// The one ContextManager of the process: a single AsyncLocalStorage.
// Registered as the @opentelemetry/api global for apps; our own code calls it directly.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Channel } from 'node:diagnostics_channel';
import type { Context, ContextManager } from '@opentelemetry/api';
import { ROOT_CONTEXT } from './context.js';

const storage = new AsyncLocalStorage<Context>();

export function activeContext(): Context {
  return storage.getStore() ?? ROOT_CONTEXT;
}

/** Runs fn(...args) with ctx active. Passing args avoids a closure per call on hot paths. */
export function runWithContext<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, ...args: A): R {
  return storage.run(ctx, fn, ...args);
}

type Apply = (target: Function, thisArgument: unknown, argumentsList: ArrayLike<unknown>) => unknown;

/** fn called with `self` and `args` (an arguments object will do) with ctx active: for wrappers that keep the caller's `this`. */
export function applyInContext(ctx: Context, fn: Function, self: unknown, args: ArrayLike<unknown>): unknown {
  return storage.run(ctx, Reflect.apply as Apply, fn, self, args);
}

/** `target` bound to ctx: whenever it is called, it runs there with the same `this`, arguments and return value. */
export function bindToContext<T extends (...args: never[]) => unknown>(ctx: Context, target: T): T {
  const bound = function (this: unknown) {
    return storage.run(ctx, Reflect.apply as Apply, target, this, arguments);
  };
  Object.defineProperty(bound, 'length', { value: target.length, configurable: true });
  return bound as unknown as T;
}

/**
 * For a library's TracingChannel: `channel.runStores(message, fn)` runs fn with the context that
 * transform(message) returns active (a span started from the message, say), and what fn schedules
 * keeps it. transform must return a context (the active one when it has nothing to add) and must
 * not throw: Node reports a throwing transform as an uncaught exception.
 */
export function bindContextToChannel<M extends object>(channel: Channel, transform: (message: M) => Context): void {
  (channel as unknown as Channel<Context, M>).bindStore(storage, transform);
}

export const contextManager: ContextManager = {
  active: activeContext,
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (thisArg === undefined) return storage.run(ctx, fn, ...args);
    return storage.run(ctx, () => fn.apply(thisArg, args));
  },
  bind<T>(ctx: Context, target: T): T {
    if (typeof target === 'function') return bindToContext(ctx, target as (...args: never[]) => unknown) as T;
    return target;
  },
  enable() {
    return this;
  },
  disable() {
    storage.disable();
    return this;
  },
};
