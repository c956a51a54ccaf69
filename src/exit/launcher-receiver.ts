// The launcher's side of the exit handoff (app-handoff.ts): collect the frames
// the child writes on its way out, and once it has exited send them, bounded from its exit by
// OTEL_NODE_EXIT_EXPORT_TIMEOUT (and each export's timeout). The sending code loads only when something was handed over.
// Frames handed over while the app runs (OTEL_NODE_EXPORT_VIA_LAUNCHER, app-live-handoff.ts) are queued and
// sent as they come (launcher-export.ts); what their queues still hold at the app's end is sent within the same bound.

import type { Readable } from 'node:stream';
import { diag } from '../diag/log.js';
import { decodeFrames, exitDeadlineMs, frameBytesNeeded, type ExitFrame } from './exit-sends.js';
import type { LauncherExport } from './launcher-export.js';

/** After the child exits, how long to wait for the socket's end (a grandchild may hold it open). */
const DRAIN_MS = 200;

export class HandoffCollector {
  /** What arrived since the last complete frame, not yet joined: joined once the next frame is whole. */
  #chunks: Buffer[] = [];
  #pending = 0;
  #needed = 4;
  #ended = false;
  readonly #endWaiters: Array<() => void> = [];
  /** Complete frames of the exit handoff, in order; live frames go to #live instead. */
  readonly #exitFrames: ExitFrame[] = [];
  readonly #env: NodeJS.ProcessEnv;
  #live: LauncherExport | undefined;

  /** `env`: the child's environment, for the live export's queue settings. */
  constructor(stream: Readable, env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
    stream.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#pending += chunk.length;
      // Joining at every chunk would copy a large hand-off over and over (quadratic in its size).
      if (this.#pending < this.#needed) return;
      const buffer = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#pending);
      this.#chunks = [];
      this.#pending = 0;
      this.#takeFrames(buffer);
    });
    const end = (): void => {
      this.#ended = true;
      for (const waiter of this.#endWaiters.splice(0)) waiter();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.on('error', end); // e.g. ECONNRESET when the child dies: what was read is kept
  }

  /** Takes the complete frames out of `buffer`: live ones are queued now, exit ones kept for the end. */
  #takeFrames(buffer: Buffer): void {
    const frames = decodeFrames(buffer);
    let consumed = 0;
    if (frames.length > 0) {
      const last = frames[frames.length - 1]!.body;
      consumed = last.byteOffset - buffer.byteOffset + last.byteLength;
    }
    if (consumed < buffer.length) {
      // The rest is a frame still arriving: copied, so the chunk of the frames taken is not held by it.
      const rest = frames.length === 0 ? buffer : Buffer.from(buffer.subarray(consumed));
      this.#chunks = [rest];
      this.#pending = rest.length;
      this.#needed = frameBytesNeeded(rest);
    } else {
      this.#needed = 4;
    }
    for (const frame of frames) {
      if (frame.header.live === undefined) {
        this.#exitFrames.push(frame);
        continue;
      }
      if (this.#live === undefined) {
        const { LauncherExport } = require('./launcher-export.js') as typeof import('./launcher-export.js');
        this.#live = new LauncherExport(this.#env);
      }
      this.#live.add(frame.header, frame.body);
    }
  }

  /** Complete exit frames received so far (a torn last frame is dropped). */
  frames(): ExitFrame[] {
    return this.#exitFrames;
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
    const live = this.#live;
    if (frames.length === 0 && (live === undefined || live.idle)) return;
    const { sendRequests } = require('./send-requests.js') as typeof import('./send-requests.js');
    const deadline = started + exitDeadlineMs([...frames.map(({ header }) => header), ...(live?.configs() ?? [])], boundMs);
    let timer: NodeJS.Timeout | undefined;
    const delivered = await Promise.race([
      Promise.all([sendRequests(frames, deadline), live?.flush(deadline) ?? true]).then(([exit, queued]) => exit && queued),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    const what = [...new Set([...frames.map(({ header }) => header.signal), ...(live?.configs() ?? []).map(({ signal }) => signal)])].join(', ');
    const took = Date.now() - started;
    if (delivered) diag.debug(`launcher: sent the ${what} the app handed over at exit, in ${took} ms`);
    else diag.debug(`launcher: could not deliver all of the ${what} the app handed over at exit (${took} ms); they are dropped`);
  }
}
