// How an instrumentation follows one library call to its end, whichever way the library reports it: a
// synchronous throw, a promise, or a node-style callback. The app sees the library's own behaviour: the
// same return value, the very same error object, its callback called with the same `this`, arguments and
// return value. DbCall, MessagingOperation and AwsCall are the outcomes.

import type { Context } from '@opentelemetry/api';
import { applyInContext } from '../context/als-context-manager.js';

/** What ends once with the call's result or its error. Neither method throws. */
export interface CallOutcome {
  succeeded(value: unknown): void;
  failed(error: unknown): void;
}

/** `original` called with the app's `this` and arguments (in `context` when given); a throw fails the outcome and goes on. */
export function invokeFor(outcome: CallOutcome, original: Function, self: unknown, args: ArrayLike<unknown>, context?: Context): unknown {
  try {
    return context === undefined ? Reflect.apply(original, self, args) : applyInContext(context, original, self, args);
  } catch (error) {
    outcome.failed(error);
    throw error;
  }
}

/**
 * A promise of the same outcome that ends `outcome` when `promise` settles: the app gets this one in
 * place of the library's. It rejects with the very same error object, so an unhandled rejection is still
 * one; attaching to the library's promise without returning ours would mark it handled.
 */
export function settleFor<T>(outcome: CallOutcome, promise: Promise<T>): Promise<T> {
  return promise.then(
    (value) => {
      outcome.succeeded(value);
      return value;
    },
    (error: unknown) => {
      outcome.failed(error);
      throw error;
    },
  );
}

/**
 * A promise or any other thenable (an object or function with a then method), as Promises/A+ defines
 * it. Typed as a Promise: callers only call its then().
 */
export function isThenable(value: unknown): value is Promise<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * What a call returned, followed to its end: a thenable ends `outcome` when it settles (settleFor's
 * promise goes on in its place), anything else is the result now.
 */
export function followResult(outcome: CallOutcome, result: unknown): unknown {
  if (!isThenable(result)) {
    outcome.succeeded(result);
    return result;
  }
  return settleFor(outcome, result);
}

/** The app's node-style callback, ending `outcome` first (failed on a non-null first argument), then called in `context`. */
export function callbackFor<F extends (...args: any[]) => unknown>(outcome: CallOutcome, callback: F, context: Context): F {
  return function (this: unknown, error: unknown, value: unknown) {
    if (error !== undefined && error !== null) outcome.failed(error);
    else outcome.succeeded(value);
    return applyInContext(context, callback, this, arguments);
  } as F;
}
