// An exporter's shutdown happens once: from the first call on new exports are refused, and every call
// gets the same promise, which resolves when the transport is closed and no export is in flight.

import type { Transport } from '../transport/types.js';
import type { InFlightCount } from './in-flight-count.js';

export class ExporterShutdown {
  #promise: Promise<void> | undefined;
  #isShutdown = false;

  get isShutdown(): boolean {
    return this.#isShutdown;
  }

  /** Never rejects. */
  shutdown(transport: Transport, inFlight: InFlightCount): Promise<void> {
    if (this.#promise !== undefined) return this.#promise;
    // Set before the transport shuts down: the exports it ends now (abandoned retries) are no outage.
    this.#isShutdown = true;
    const idle = inFlight.idle();
    this.#promise = Promise.all([transport.shutdown().catch(() => undefined), idle]).then(
      () => undefined,
      () => undefined,
    );
    return this.#promise;
  }
}
