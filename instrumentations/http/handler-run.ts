// One run of a framework's route handler in an INTERNAL span (koa, NestJS): the handler is called in
// the span's context with the app's `this` and arguments, and its return value goes back unchanged.
// The span ends when the handler returns, or, for a native promise, when that settles; a failure goes
// to the instrumentation's own rule (which errors are the server's, what the span records) and from
// there, usually, to the server span through recordHandlerError. Nothing here throws at the app: our
// own fault turns the instrumentation off through its guard.

import type { Context, Span } from '@opentelemetry/api';
import { enterContext, restoreContext } from '../../src/context/als-context-manager.js';
import type { Guard } from '../../src/hook/guard.js';
import type { HttpServerRequest } from './framework-api.js';

/**
 * A native promise, whose then() we may call beside the framework's: a thenable of another kind may do
 * its work when then() is called (a query builder runs its query), and is left alone.
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise && value.constructor === Promise;
}

/** What a failed handler run records: on its span (if any), and on the server span (if any). */
export type HandlerFailure = (span: Span | undefined, server: HttpServerRequest | undefined, error: unknown) => void;

/** One handler run. A class, not a literal (see express's request-state.ts). */
export class HandlerRun {
  /** Undefined outside any trace: the handler still runs through here, in the caller's context. */
  readonly span: Span | undefined;
  readonly server: HttpServerRequest | undefined;
  /** The context the handler runs in: the span's. */
  readonly context: Context;
  readonly #onFailure: HandlerFailure;
  readonly #guard: Guard;

  constructor(span: Span | undefined, server: HttpServerRequest | undefined, context: Context, onFailure: HandlerFailure, guard: Guard) {
    this.span = span;
    this.server = server;
    this.context = context;
    this.#onFailure = onFailure;
    this.#guard = guard;
  }

  /** The run is over, failed with `error` when `failed`. Never throws (it may run in a promise reaction). */
  end(error: unknown, failed: boolean): void {
    try {
      if (failed) this.#onFailure(this.span, this.server, error);
      this.span?.end();
    } catch (internal) {
      this.#guard.fail(internal);
    }
  }

  /**
   * Calls `handler` as the framework would, inside the run, and returns what it returns; a synchronous
   * throw ends the run as failed and goes on as the same object.
   */
  call(handler: Function, thisArg: unknown, args: ArrayLike<unknown>): unknown {
    let result: unknown;
    try {
      if (this.span === undefined) result = Reflect.apply(handler, thisArg, args);
      else {
        // Entered inline, not through applyInContext: one frame fewer of ours in the handler's stack traces.
        const previous = enterContext(this.context);
        try {
          result = Reflect.apply(handler, thisArg, args);
        } finally {
          restoreContext(previous);
        }
      }
    } catch (thrown) {
      this.end(thrown, true);
      throw thrown;
    }
    try {
      if (isNativePromise(result)) {
        // The callbacks carry the run; a reaction that never rejects, so the framework's promise is untouched.
        result.then(
          () => this.end(undefined, false),
          (error: unknown) => this.end(error, true),
        );
      } else {
        this.end(undefined, false);
      }
    } catch (internal) {
      this.#guard.fail(internal);
    }
    return result;
  }
}
