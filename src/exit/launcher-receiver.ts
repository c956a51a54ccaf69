// The launcher's side of the exit handoff (app-handoff.ts): collect the frames
// the child writes on its way out, and once it has exited send them, bounded from its exit by
// OTEL_NODE_EXIT_EXPORT_TIMEOUT (and each export's timeout). The sending code loads only when something was handed over.

import type { Readable } from 'node:stream';
import { diag } from '../diag/log.js';
import { decodeFrames, exitDeadlineMs, type ExitFrame } from './exit-sends.js';
import type { Transport } from '../export/otlp/transport/types.js';

/** After the child exits, how long to wait for the socket's end (a grandchild may hold it open). */
const DRAIN_MS = 200;

export class HandoffCollector {
  #buffer: Buffer = Buffer.alloc(0);
  #ended = false;
  readonly #endWaiters: Array<() => void> = [];

  /** PROTOTYPE (to-launcher.ts): frames are sent as they arrive, while the app runs. */
  readonly #live = process.env.OTEL_INSTRUMENT_EXPORT_VIA_LAUNCHER === '1';
  #liveSends = 0;
  readonly #liveIdle: Array<() => void> = [];
  readonly #liveTransports = new Map<string, Transport>();
  #childGone = false;
  #liveDone: Promise<void> | undefined;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      if (this.#live && !this.#childGone) this.#sendArrived();
    });
    const end = (): void => {
      this.#ended = true;
      for (const waiter of this.#endWaiters.splice(0)) waiter();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.on('error', end); // e.g. ECONNRESET when the child dies: what was read is kept
  }

  #sendArrived(): void {
    const frames = decodeFrames(this.#buffer);
    if (frames.length === 0) return;
    const last = frames[frames.length - 1]!.body;
    const consumed = last.byteOffset - this.#buffer.byteOffset + last.byteLength;
    this.#buffer = consumed === this.#buffer.length ? Buffer.alloc(0) : Buffer.from(this.#buffer.subarray(consumed));
    const { transportFor } = require('../export/otlp/transport/for-protocol.js') as typeof import('../export/otlp/transport/for-protocol.js');
    for (const { header, body } of frames) {
      let transport = this.#liveTransports.get(header.signal);
      if (transport === undefined) {
        transport = transportFor(header.signal, header.config);
        this.#liveTransports.set(header.signal, transport);
      }
      this.#liveSends++;
      const deadline = header.config.timeoutMs > 0 ? Date.now() + header.config.timeoutMs : Infinity;
      transport.send(body, deadline, () => {
        if (--this.#liveSends === 0) for (const idle of this.#liveIdle.splice(0)) idle();
      });
    }
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
    this.#childGone = true;
    if (this.#live && this.#liveSends > 0) {
      // PROTOTYPE: what the app handed over while it ran, bounded like the rest.
      const live = new Promise<void>((resolve) => this.#liveIdle.push(resolve));
      void live.then(() => undefined);
      this.#liveDone = live;
    }
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
    if (frames.length === 0) {
      if (this.#liveDone !== undefined) await Promise.race([this.#liveDone, new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (boundMs || 10_000) - Date.now())))]);
      return;
    }
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
