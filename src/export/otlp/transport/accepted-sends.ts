// What both network transports do around the wire: count the sends they accepted (so shutdown()
// can wait for them, each bounded by its deadline), and gzip the body first when asked.

import { gzip } from 'node:zlib';
import type { ExportResult } from '../../../core/export-result.js';
import { codedError } from './types.js';

export class AcceptedSends {
  #count = 0;
  #idle: Array<() => void> = [];

  /** Counts one send; the returned callback un-counts it, then calls `done`. */
  track(done: (result: ExportResult) => void): (result: ExportResult) => void {
    this.#count++;
    return (result) => {
      if (--this.#count === 0) {
        const idle = this.#idle;
        this.#idle = [];
        for (const fn of idle) fn();
      }
      done(result);
    };
  }

  /** Resolves once every counted send has reported. */
  drained(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}

/** Calls `send(bytes, compressed)` with the body as is, or gzipped; a gzip failure is reported to `done`. */
export function compressThen(
  body: Uint8Array,
  compression: 'gzip' | 'none',
  done: (result: ExportResult) => void,
  send: (bytes: Uint8Array, compressed: boolean) => void,
): void {
  if (compression !== 'gzip') {
    send(body, false);
    return;
  }
  gzip(body, (err, compressed) => {
    if (err) done({ ok: false, retryable: false, error: codedError(`gzip failed: ${err.message}`, 'GZIP') });
    else send(compressed, true);
  });
}
