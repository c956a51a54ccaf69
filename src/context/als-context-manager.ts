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

// Every way in here makes ctx active with enterWith and restores the previous context in a finally:
// what AsyncLocalStorage.run does (Node 20 and 22: the store on the current async resource, set then
// put back; Node 24: enterWith, then enterWith(prior)), without run's own frame ("at
// AsyncLocalStorage.run (node:async_hooks)") in every stack trace taken inside, an app's error in a
// request handler included. enterContext/restoreContext let a wrapper do it inline, so that not even a
// frame of this file stands between the app's frames and the library's.

// Unconditional enterWith both ways: each check of the current store costs a lookup of the async
// resource, and with them this was twice as slow as run() on Node 20 (~300 ns per switch against
// ~150); as it is, ~180 ns (and as fast as run() on Node 24).

/** Makes ctx active; returns what was, for restoreContext in a finally. */
export function enterContext(ctx: Context): Context | undefined {
  const previous = storage.getStore();
  storage.enterWith(ctx);
  return previous;
}

/** Puts back what enterContext returned. */
export function restoreContext(previous: Context | undefined): void {
  storage.enterWith(previous as Context);
}

/** Runs fn(...args) with ctx active. Passing args avoids a closure per call on hot paths. */
export function runWithContext<A extends unknown[], R>(ctx: Context, fn: (...args: A) => R, ...args: A): R {
  const previous = enterContext(ctx);
  try {
    return fn(...args);
  } finally {
    restoreContext(previous);
  }
}

/** fn called with `self` and `args` (an arguments object will do) with ctx active: for wrappers that keep the caller's `this`. */
export function applyInContext(ctx: Context, fn: Function, self: unknown, args: ArrayLike<unknown>): unknown {
  const previous = enterContext(ctx);
  try {
    return Reflect.apply(fn, self, args);
  } finally {
    restoreContext(previous);
  }
}

/** `target` bound to ctx: whenever it is called, it runs there with the same `this`, arguments and return value. */
export function bindToContext<T extends (...args: never[]) => unknown>(ctx: Context, target: T): T {
  const bound = function (this: unknown) {
    const previous = enterContext(ctx);
    try {
      return Reflect.apply(target, this, arguments);
    } finally {
      restoreContext(previous);
    }
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
    const previous = enterContext(ctx);
    try {
      return Reflect.apply(fn, thisArg, args) as ReturnType<F>;
    } finally {
      restoreContext(previous);
    }
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
