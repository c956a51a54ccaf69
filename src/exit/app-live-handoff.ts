// App side of OTEL_NODE_EXPORT_VIA_LAUNCHER: each encoded batch goes to the launcher as one frame
// (exit-sends.ts) on the handoff socket (app-handoff.ts) as soon as it is made, in one non-blocking
// write; the launcher queues and sends it (launcher-export.ts). Once written, a batch is the launcher's:
// it survives this process's SIGKILL, and this process never sends it itself.
// Never blocking the event loop: the fd is made non-blocking (makeNonBlocking, app-handoff.ts; no byte of
// ours waits in a socket's buffer we cannot reach at exit). What
// the kernel does not take at once waits here, in order, tried again on a short unref'd timer, and at
// exit written out before the exit frames (flushBacklog). Past MAX_BACKLOG_BYTES a new batch is refused,
// and the batch queue drops and counts it: the launcher cannot keep up.

import { writeSync } from 'node:fs';
import { diag, warnOnce } from '../diag/log.js';
import { encodeFrame, type ExitSend } from './exit-sends.js';
import { makeNonBlocking } from './app-handoff.js';

/** What may wait in the app for the launcher to read: about 8 full span batches. */
export const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
/** How soon a waiting backlog is tried again. */
const RETRY_WRITE_MS = 5;
/** At exit, how long the backlog may take to go out: a launcher that does not read would otherwise hold the exit. */
const EXIT_FLUSH_MS = 1000;

export type HandResult = 'handed' | 'backlog full' | 'launcher gone';

export class LiveHandoff {
  readonly #fd: number;
  #backlog: Buffer[] = [];
  #backlogBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #gone = false;
  readonly #retry = (): void => {
    this.#timer = undefined;
    this.#drain();
  };

  constructor(fd: number) {
    this.#fd = fd;
    makeNonBlocking(fd);
  }

  /** Bytes written to the launcher's socket so far would not be lost; this many still wait here. */
  get backlogBytes(): number {
    return this.#backlogBytes;
  }

  /** One batch; never throws, never blocks. */
  hand(send: ExitSend): HandResult {
    if (this.#gone) return 'launcher gone';
    const frame = encodeFrame(send);
    if (this.#backlogBytes + frame.length > MAX_BACKLOG_BYTES) {
      warnOnce('live-handoff-full', `the launcher is not keeping up with this app's telemetry (${this.#backlogBytes} bytes waiting); dropping batches until it does`);
      return 'backlog full';
    }
    if (this.#backlog.length === 0) {
      const written = this.#write(frame);
      if (written === frame.length) return 'handed';
      if (this.#gone) return 'launcher gone';
      this.#push(written === 0 ? frame : frame.subarray(written));
      return 'handed';
    }
    this.#push(frame);
    return 'handed';
  }

  /** At exit: what waits goes out now, in full (the exit frames follow it on the same stream). */
  flushBacklog(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const giveUp = Date.now() + EXIT_FLUSH_MS;
    while (this.#backlog.length > 0 && !this.#gone) {
      this.#drain();
      if (this.#backlog.length > 0 && Date.now() > giveUp) {
        diag.debug(`the launcher did not read ${this.#backlogBytes} bytes of handed-over telemetry within ${EXIT_FLUSH_MS} ms at exit; dropped`);
        // A torn frame would make the launcher drop the exit frames after it: none follow (gone).
        this.#gone = true;
        this.#backlog = [];
        this.#backlogBytes = 0;
      }
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** After flushBacklog: whether the stream is still whole, so the exit frames may follow. */
  get usable(): boolean {
    return !this.#gone;
  }

  #push(chunk: Buffer): void {
    this.#backlog.push(chunk);
    this.#backlogBytes += chunk.length;
    this.#timer ??= setTimeout(this.#retry, RETRY_WRITE_MS).unref();
  }

  #drain(): void {
    while (this.#backlog.length > 0) {
      const head = this.#backlog[0]!;
      const written = this.#write(head);
      this.#backlogBytes -= written;
      if (written < head.length) {
        if (this.#gone) return;
        this.#backlog[0] = head.subarray(written);
        this.#timer ??= setTimeout(this.#retry, RETRY_WRITE_MS).unref();
        return;
      }
      this.#backlog.shift();
    }
  }

  /** Bytes the kernel took (0 when it took none now); a closed launcher end drops everything. */
  #write(chunk: Buffer): number {
    try {
      return writeSync(this.#fd, chunk);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 0;
      if (!this.#gone) diag.debug(`the launcher's end of the handoff is gone (${code}): telemetry is no longer handed over`);
      this.#gone = true;
      this.#backlog = [];
      this.#backlogBytes = 0;
      return 0;
    }
  }
}

let live: LiveHandoff | undefined | null = null;

/** The live handoff of this process, or undefined when there is no launcher (or the setting is off). Made once. */
export function liveHandoff(): LiveHandoff | undefined {
  if (live !== null) return live;
  live = undefined;
  try {
    const { EXPORT_VIA_LAUNCHER } = require('../config/settings/otlp-connection.js') as typeof import('../config/settings/otlp-connection.js');
    if (!EXPORT_VIA_LAUNCHER.type.read(process.env, [EXPORT_VIA_LAUNCHER.env], EXPORT_VIA_LAUNCHER.default)) return live;
    const { handoffFdOf } = require('./app-handoff.js') as typeof import('./app-handoff.js');
    const fd = handoffFdOf();
    if (fd !== undefined) live = new LiveHandoff(fd);
  } catch (error) {
    diag.debug(`live handoff to the launcher unavailable: ${String(error)}`);
  }
  return live;
}

/**
 * At exit (app-shutdown.ts): the live backlog, if any, before the exit frames. False when the stream is
 * no longer whole (the launcher gone, or not reading): then no exit frame may follow.
 */
export function flushLiveBacklog(): boolean {
  if (live === null || live === undefined) return true;
  live.flushBacklog();
  return live.usable;
}
