// A fault in our own instrumentation code must never reach the app: the first throw is
// logged once at debug level and that instrumentation turns itself off.

import { diag } from '../diag/log.js';

export class Guard {
  enabled = true;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  /**
   * A diagnostics-channel subscriber running `handler` while this instrumentation is on: a subscriber
   * that throws would reach the app as an uncaught exception, so the first throw turns it off instead.
   */
  subscriber<M>(handler: (message: M) => void): (message: unknown) => void {
    return (message) => {
      if (!this.enabled) return;
      try {
        handler(message as M);
      } catch (internal) {
        this.fail(internal);
      }
    };
  }

  fail(error: unknown): void {
    if (!this.enabled) return;
    this.enabled = false;
    diag.debug(`instrumentation ${this.#name} disabled after an internal error: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
