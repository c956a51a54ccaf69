// App side of the launcher link (link-messages.ts), set up by the preload of the launcher's direct child
// whether the SDK runs or not (a dormant npm in between forwards signals too):
//  - for SIGINT, SIGTERM, SIGHUP and SIGQUIT it says whether the app listens (so the signal is handled in
//    its JavaScript) or not (so the signal ends the process, after our flush where we listen), and
//    reports each one the app's listeners receive. The launcher forwards only what did not reach the
//    app anyway: a process-group or control-group kill reaches both.
//  - a `sync` is answered once the signals already on their way have been emitted and reported;
//  - the end of the link means the launcher died without warning (SIGKILL, the OOM killer): the app
//    dies at once by SIGKILL, as if killed with it, rather than live on as an orphan holding its port.
// Nothing here adds a signal listener: one would replace a signal's default action (a busy or hung app
// would no longer end on SIGTERM, nor dump core on SIGQUIT) and show in process.listeners(). Signals are
// seen through process.emit instead, which Node calls with (name, name) for each signal it receives.
// The socket is unref'd: the link never keeps the app alive.

import { writeSync } from 'node:fs';
import { launcherFd } from './launcher-fd.js';
import { diag } from '../diag/log.js';
import { isOwnSignalListener } from './own-signal-listeners.js';
import { LINK_FD_VAR, LINKED_SIGNALS, LineReader, encodeLinkMessage, type LinkMessage } from './link-messages.js';

/**
 * How long a `sync` waits before its answer. A signal sent to the app and the launcher together may reach
 * the app's JavaScript a little after the launcher's `sync` does (systemd signals a control group's
 * processes one after the other); this is the margin for it, and the delay before the launcher forwards a
 * signal only it received.
 */
const SYNC_ANSWER_DELAY_MS = 20;

const WATCHED = new Set<unknown>(LINKED_SIGNALS);

let linked = false;

function linkFd(): number | undefined {
  return launcherFd(LINK_FD_VAR);
}

export function linkToLauncher(): void {
  if (linked) return;
  const fd = linkFd();
  if (fd === undefined) return;
  linked = true;
  const send = (message: LinkMessage): void => {
    try {
      // Synchronous: a report must be out before a listener that exits at once.
      writeSync(fd, encodeLinkMessage(message));
    } catch {
      // The launcher is gone (the link's end follows) or, briefly, not reading: nothing to do.
    }
  };
  watchTheLauncher(fd, send);
  send({ kind: 'hello' });
  reportSignals(send);
}

/** Answers syncs; ends the process when the launcher's end of the link closes. */
function watchTheLauncher(fd: number, send: (message: LinkMessage) => void): void {
  const { Socket } = require('node:net') as typeof import('node:net');
  const socket = new Socket({ fd, readable: true, writable: false });
  socket.unref();
  const reader = new LineReader((message) => {
    if (message.kind !== 'sync') return;
    setTimeout(() => send({ kind: 'synced', n: message.n }), SYNC_ANSWER_DELAY_MS).unref();
  });
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  let ended = false;
  const launcherGone = (): void => {
    if (ended) return;
    ended = true;
    diag.debug('the launcher ended without warning: ending the app as if killed with it (SIGKILL)');
    process.kill(process.pid, 'SIGKILL');
  };
  socket.once('end', launcherGone);
  socket.once('close', launcherGone);
  socket.on('error', launcherGone);
}

/** The app's own listeners for `signal`: ours that only flush and re-raise do not count. */
function appListeners(signal: NodeJS.Signals): number {
  let count = 0;
  for (const listener of process.listeners(signal)) if (!isOwnSignalListener(listener)) count++;
  return count;
}

/**
 * Wraps process.emit, which Node binds into each signal's OS handler when the signal's first listener
 * is added: this runs before the app's code, so every signal the app listens to passes through here.
 * 'newListener' and 'removeListener' pass here too, and tell whether the app listens to a signal.
 */
function reportSignals(send: (message: LinkMessage) => void): void {
  const listening = new Set<unknown>();
  for (const signal of LINKED_SIGNALS) {
    if (appListeners(signal) === 0) continue;
    listening.add(signal);
    send({ kind: 'listening', signal });
  }
  const originalEmit = process.emit;
  process.emit = function emit(this: NodeJS.Process, ...args: unknown[]): boolean {
    const [event, name, listener] = args;
    try {
      // Node emits a received signal as (name, name); an app's own process.emit('SIGINT') is not one.
      // Only what the app listens to is reported: the launcher forwards the others at once.
      if (listening.has(event) && name === event) {
        send({ kind: 'signal', signal: event as NodeJS.Signals });
      } else if (event === 'newListener' && WATCHED.has(name) && !listening.has(name) && !isOwnSignalListener(listener)) {
        // Emitted before the listener is added.
        listening.add(name);
        send({ kind: 'listening', signal: name as NodeJS.Signals });
      } else if (event === 'removeListener' && listening.has(name) && appListeners(name as NodeJS.Signals) === 0) {
        // Emitted after the listener is removed.
        listening.delete(name);
        send({ kind: 'default', signal: name as NodeJS.Signals });
      }
    } catch {
      // never in the app's way
    }
    return Reflect.apply(originalEmit, this, args) as boolean;
  } as typeof process.emit;
}
