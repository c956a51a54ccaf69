// App side of the handoff, lossless exit under the launcher: the launcher gives its direct child one
// end of a socket pair (fd OTEL_INSTRUMENT_HANDOFF_FD). On the way out the child writes its
// still-pending encoded requests there synchronously (frames of exit-sends.ts), which takes
// microseconds and cannot be cut short by the exit; the launcher sends them after the child is gone
// (launcher-receiver.ts), bounded by the export timeout. Without the launcher (or in a grandchild, or
// a worker thread) the spawnSync sender of app-send-at-exit.ts is the fallback.

import { writeSync } from 'node:fs';
import { launcherFd } from './launcher-fd.js';
import { diag } from '../diag/log.js';
import { encodeFrame, type ExitSend } from './exit-sends.js';

export const HANDOFF_FD_VAR = 'OTEL_INSTRUMENT_HANDOFF_FD';

let handoffFd: number | undefined | null = null;

function fdForThisProcess(): number | undefined {
  return launcherFd(HANDOFF_FD_VAR);
}

/** Reads (once) whether a handoff is possible; call at startup, before the app can open fds. */
export function detectHandoff(): boolean {
  if (handoffFd === null) handoffFd = fdForThisProcess();
  return handoffFd !== undefined;
}

/** The handoff's fd, for the live handoff (app-live-handoff.ts) too: one stream, one writer at a time. */
export function handoffFdOf(): number | undefined {
  return detectHandoff() ? handoffFd! : undefined;
}

/**
 * How long the app waits at exit on a socket the launcher does not read from: a launcher that stopped
 * (SIGSTOP, a debugger) must not hold the app's end for as long as it stays stopped.
 */
const WRITE_LIMIT_MS = 1000;

/** The sockets opened for O_NONBLOCK, held so that no collection of theirs ever closes the fd. */
const heldSockets: object[] = [];
const nonBlockingFds = new Set<number>();

/**
 * Makes `fd` non-blocking, once: a net.Socket opened on it sets O_NONBLOCK. The socket is never read,
 * written to or closed, and does not keep the process alive; our writes go through writeSync, which
 * then says EAGAIN on a full socket instead of waiting in the kernel.
 */
export function makeNonBlocking(fd: number): void {
  if (nonBlockingFds.has(fd)) return;
  nonBlockingFds.add(fd);
  const { Socket } = require('node:net') as typeof import('node:net');
  const socket = new Socket({ fd, readable: false, writable: true });
  socket.on('error', () => undefined);
  socket.unref();
  heldSockets.push(socket);
}

/** For a 1 ms sleep between tries on a full socket, which leaves the CPU to the launcher reading it. */
const nap = new Int32Array(new SharedArrayBuffer(4));

/** False when the launcher read nothing for WRITE_LIMIT_MS: a launcher that is only slow gets all of it. */
function writeFully(fd: number, data: Buffer): boolean {
  let offset = 0;
  let giveUp: number | undefined;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
      giveUp = undefined;
    } catch (error) {
      // The launcher reads concurrently; a full socket buffer on a non-blocking fd just means "again".
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      giveUp ??= Date.now() + WRITE_LIMIT_MS;
      if (Date.now() > giveUp) return false;
      Atomics.wait(nap, 0, 0, 1);
    }
  }
  return true;
}

/** Errors that say the launcher's end of the socket is closed: the launcher is gone. */
const LAUNCHER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ENOTCONN']);

/**
 * Writes every request to the launcher. 'handed': the launcher sends them. 'no launcher' (none, or the
 * write failed): send them yourself. 'launcher stuck': it read not all within a second; the rest is dropped,
 * never sent twice. 'launcher gone': it died without warning, and this process ends as if
 * killed with it (app-launcher-link.ts), sending nothing: a sender process would only hold up its exit.
 */
export function handOff(sends: readonly ExitSend[]): 'handed' | 'no launcher' | 'launcher gone' | 'launcher stuck' {
  if (!detectHandoff() || sends.length === 0) return 'no launcher';
  try {
    makeNonBlocking(handoffFd!);
    if (!writeFully(handoffFd!, Buffer.concat(sends.map(encodeFrame)))) {
      // Part of a frame may be written: sent again from here, some of it could arrive twice.
      diag.debug(`the launcher stopped reading: pending ${sends.map((s) => s.signal).join(', ')} dropped at exit`);
      return 'launcher stuck';
    }
    diag.debug(`handed pending ${sends.map((s) => s.signal).join(', ')} to the launcher at exit`);
    return 'handed';
  } catch (error) {
    if (LAUNCHER_GONE.has((error as NodeJS.ErrnoException).code ?? '')) {
      diag.debug(`the launcher is gone: pending ${sends.map((s) => s.signal).join(', ')} dropped at exit`);
      return 'launcher gone';
    }
    diag.debug(`could not hand pending telemetry to the launcher: ${String(error)}`);
    return 'no launcher';
  }
}
