// One run of a framework's route handler in an INTERNAL span (koa, NestJS, hono, hapi): the handler is
// called in the span's context with the app's `this` and arguments, and its return value goes back
// unchanged, a native promise as one settled the same way, with the same value or error. The span ends
// when the handler returns, or, for a native promise, when that settles; a
// failure goes to the instrumentation's own rule (which errors are the server's, what the span records)
// and from there, usually, to the server span through recordHandlerError. A framework whose handlers
// report failure some other way (hapi resolves with a Boom, a hono sub-app sets c.error) reads it in a
// subclass. Nothing here throws at the app: our own fault turns the instrumentation off through its guard.

import type { Context, Span } from '@opentelemetry/api';
import { enterContext, restoreContext } from '../../src/context/als-context-manager.js';
import { recordFailure } from '../../src/core/exception-attributes.js';
import type { Guard } from '../../src/hook/guard.js';
import { settleFor, type CallOutcome } from '../../src/hook/call-outcome.js';
import { recordHandlerError, type HttpServerRequest } from './framework-api.js';

/**
 * A native promise, whose then() we may call in the framework's place: a thenable of another kind may
 * do its work when then() is called (a query builder runs its query), and is left alone.
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise && value.constructor === Promise;
}

/** What a failed handler run records: on its span (if any), and on the server span (if any). */
export type HandlerFailure = (span: Span | undefined, server: HttpServerRequest | undefined, error: unknown) => void;

/**
 * The rule of a framework that answers some errors itself: an error `isServerFailure` accepts is
 * recorded on the handler's span and on the server span; any other is the framework's answer (a 4xx),
 * recorded nowhere.
 */
export function serverFailures(isServerFailure: (error: unknown) => boolean): HandlerFailure {
  return (span, server, error) => {
    if (!isServerFailure(error)) return;
    if (span !== undefined) recordFailure(span, error);
    if (server !== undefined) recordHandlerError(server, error);
  };
}

/** One handler run. A class, not a literal (see express's request-state.ts). */
export class HandlerRun implements CallOutcome {
  /** Undefined outside any trace: the handler still runs through here, in the caller's context. */
  readonly span: Span | undefined;
  readonly server: HttpServerRequest | undefined;
  /** The context the handler runs in: the span's (unused without a span). */
  readonly context: Context | undefined;
  readonly #onFailure: HandlerFailure;
  readonly #guard: Guard;

  constructor(span: Span | undefined, server: HttpServerRequest | undefined, context: Context | undefined, onFailure: HandlerFailure, guard: Guard) {
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

  /** The handler returned `value`, or its promise fulfilled with it: a success, unless a subclass reads a failure in it. */
  settled(value: unknown): void {
    this.end(undefined, false);
  }

  /**
   * Calls `handler` as the framework would, inside the run, and returns what it returns; a synchronous
   * throw ends the run as failed and goes on as the same object.
   */
  call(handler: Function, thisArg: unknown, args: ArrayLike<unknown>): unknown {
    let result: unknown;
    try {
      const context = this.span === undefined ? undefined : this.context;
      if (context === undefined) result = Reflect.apply(handler, thisArg, args);
      else {
        // Entered inline, not through applyInContext: one frame fewer of ours in the handler's stack traces.
        const previous = enterContext(context);
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
    // The framework gets, for a native promise, the one settleFor makes, settled as the handler's was:
    // the handler's promise keeps one reaction, so V8 still follows it to the app's awaiting functions
    // for an error's async stack frames (it stops at a promise with two).
    if (isNativePromise(result)) return settleFor(this, result);
    this.succeeded(result);
    return result;
  }

  /** CallOutcome: the handler's value (its promise's, for a native promise). */
  succeeded(value: unknown): void {
    try {
      this.settled(value);
    } catch (internal) {
      this.#guard.fail(internal);
    }
  }

  /** CallOutcome: its promise rejected. */
  failed(error: unknown): void {
    this.end(error, true);
  }
}
