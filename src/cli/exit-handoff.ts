// The launcher's side of the exit handoff (src/export/otlp/exit-handoff.ts): collect the frames
// the child writes on its way out, and once it has exited send them, bounded by the longest
// export timeout among them. The sending code loads only when something was handed over.

import type { Readable } from 'node:stream';
import { diag } from '../diag/log.js';
import { OTLP_TIMEOUT_MS } from '../config/spec-defaults.js';
import type { ExitSendHeader } from '../export/otlp/send-at-exit.js';

/** After the child exits, how long to wait for the socket's end (a grandchild may hold it open). */
const DRAIN_MS = 200;

interface Frame {
  readonly header: ExitSendHeader;
  readonly body: Uint8Array;
}

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
  frames(): Frame[] {
    const frames: Frame[] = [];
    const b = this.#buffer;
    let offset = 0;
    while (offset + 4 <= b.length) {
      const headerLength = b.readUInt32BE(offset);
      if (offset + 4 + headerLength > b.length) break;
      let header: ExitSendHeader;
      try {
        header = JSON.parse(b.toString('utf8', offset + 4, offset + 4 + headerLength)) as ExitSendHeader;
      } catch {
        break;
      }
      const start = offset + 4 + headerLength;
      if (start + header.length > b.length) break;
      frames.push({ header, body: b.subarray(start, start + header.length) });
      offset = start + header.length;
    }
    return frames;
  }

  /** Waits for the end of the socket (bounded), then sends what arrived; resolves when done. */
  async sendAfterExit(): Promise<void> {
    if (!this.#ended) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_MS);
        this.#endWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const frames = this.frames();
    if (frames.length === 0) return;
    const { sendRequests } = require('../export/otlp/exit-sender.js') as typeof import('../export/otlp/exit-sender.js');
    const limit = Math.max(...frames.map(({ header }) => (header.config.timeoutMs > 0 ? header.config.timeoutMs : OTLP_TIMEOUT_MS)));
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const delivered = await Promise.race([
      sendRequests(frames),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), limit);
      }),
    ]);
    clearTimeout(timer);
    const what = frames.map(({ header }) => header.signal).join(', ');
    const took = Date.now() - started;
    if (delivered) diag.debug(`launcher: sent the ${what} the app handed over at exit, in ${took} ms`);
    else diag.debug(`launcher: could not deliver all of the ${what} the app handed over at exit (${took} ms); they are dropped`);
  }
}
