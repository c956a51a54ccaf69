// A fault in our own instrumentation code must never reach the app: the first throw is
// logged once at debug level and that instrumentation turns itself off.

import { diag } from '../diag/log.js';

export class Guard {
  enabled = true;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  fail(error: unknown): void {
    if (!this.enabled) return;
    this.enabled = false;
    diag.debug(`instrumentation ${this.#name} disabled after an internal error: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
