// The launcher's side of the exit handoff (app-handoff.ts): collect the frames
// the child writes on its way out, and once it has exited send them, bounded from its exit by
// OTEL_NODE_EXIT_EXPORT_TIMEOUT (and each export's timeout). The sending code loads only when something was handed over.

import type { Readable } from 'node:stream';
import { diag } from '../diag/log.js';
import { decodeFrames, exitDeadlineMs, type ExitFrame } from './exit-sends.js';

/** After the child exits, how long to wait for the socket's end (a grandchild may hold it open). */
const DRAIN_MS = 200;

export class HandoffCollector {
  #buffer: Buffer = Buffer.alloc(0);
  #ended = false;
  readonly #endWaiters: Array<() => void> = [];

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    });
    const end = (): void => {
      this.#ended = true;
      for (const waiter of this.#endWaiters.splice(0)) waiter();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.on('error', end); // e.g. ECONNRESET when the child dies: what was read is kept
  }

  /** Complete frames received so far (a torn last frame is dropped). */
  frames(): ExitFrame[] {
    return decodeFrames(this.#buffer);
  }

  /**
   * Waits for the end of the socket (bounded), then sends what arrived; resolves when done, and at the
   * latest `boundMs` (OTEL_NODE_EXIT_EXPORT_TIMEOUT; 0: the longest export timeout) after it was called,
   * which is when the child exited: a slow or black-holed collector cannot hold the launcher longer.
   */
  async sendAfterExit(boundMs: number): Promise<void> {
    const started = Date.now();
    if (!this.#ended) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, boundMs > 0 ? Math.min(DRAIN_MS, boundMs) : DRAIN_MS);
        this.#endWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const frames = this.frames();
    if (frames.length === 0) return;
    const { sendRequests } = require('./send-requests.js') as typeof import('./send-requests.js');
    const deadline = started + exitDeadlineMs(frames.map(({ header }) => header), boundMs);
    let timer: NodeJS.Timeout | undefined;
    const delivered = await Promise.race([
      sendRequests(frames, deadline),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    const what = frames.map(({ header }) => header.signal).join(', ');
    const took = Date.now() - started;
    if (delivered) diag.debug(`launcher: sent the ${what} the app handed over at exit, in ${took} ms`);
    else diag.debug(`launcher: could not deliver all of the ${what} the app handed over at exit (${took} ms); they are dropped`);
  }
}
