// Runs the user's command as our child and makes the launcher disappear from the outside: signals are
// forwarded (each reaching the app once: signal-forwarding.ts), the child's exit code is ours, and a child
// killed by a signal makes us die by the same signal.

import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import { HANDOFF_FD_VAR } from '../exit/app-handoff.js';
import { HandoffCollector } from '../exit/launcher-receiver.js';
import { LINK_FD_VAR, LINKED_SIGNALS, LineReader, encodeLinkMessage } from '../exit/link-messages.js';
import { SignalForwarding } from './signal-forwarding.js';
import { constants } from 'node:os';
import { isatty } from 'node:tty';

/** Exit codes for a command we could not start, as shells use them. */
export const EXIT_NOT_FOUND = 127;
export const EXIT_CANNOT_EXECUTE = 126;

function fail(message: string, code: number): never {
  process.stderr.write(`otel-instrument: ${message}\n`);
  process.exit(code);
}

/** The child's fd for the exit handoff: the first after stdin, stdout and stderr. */
const HANDOFF_FD = 3;
/** The child's fd for the launcher link (src/exit/link-messages.ts). */
const LINK_FD = 4;

/** What the launcher does besides, once the child has ended. */
export interface ChildEnd {
  /** Runs beside sending what the child handed over (the console tree's last traces, src/cli/console-tree-host.ts). */
  readonly finishing?: () => Promise<void>;
  /** Decides when to end once both are done (--view keeps its viewer up); default: now. */
  readonly ending?: (end: () => void, code: number | null, signal: NodeJS.Signals | null) => void;
}

function endNow(end: () => void): void {
  end();
}

/**
 * Spawns `command` (no shell) with `env` and stdio inherited, then ends this process the way the child ended,
 * after sending what the child handed over on its way out (src/exit/launcher-receiver.ts), for at most
 * `exitExportTimeoutMs` (OTEL_NODE_EXIT_EXPORT_TIMEOUT) after the child's end, and what `childEnd` adds.
 * Returns immediately; the process exits later, from the child's events.
 */
export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv, exitExportTimeoutMs: number, childEnd: ChildEnd = {}): void {
  const child = spawn(command, args, {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'],
    env: { ...env, [HANDOFF_FD_VAR]: String(HANDOFF_FD), [LINK_FD_VAR]: String(LINK_FD) },
  });
  const handoff = new HandoffCollector(child.stdio[HANDOFF_FD] as Readable, env);
  const link = child.stdio[LINK_FD] as Socket;
  let finished = false;

  const forwarding = new SignalForwarding({
    interactive: isatty(0),
    deliver: (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(signal);
      } catch {
        // The child is already gone; its 'exit' event decides what we do.
      }
    },
    requestSync: (n) => link.write(encodeLinkMessage({ kind: 'sync', n })),
  });
  const reader = new LineReader((message) => {
    if (message.kind === 'signal') forwarding.reported(message.signal);
    else if (message.kind === 'synced') forwarding.synced(message.n);
    else if (message.kind === 'listening' || message.kind === 'default') forwarding.listens(message.signal, message.kind === 'listening');
    else if (message.kind === 'hello') forwarding.linked();
  });
  link.on('data', (chunk: Buffer) => reader.push(chunk));
  link.on('error', () => undefined); // EPIPE/ECONNRESET as the child ends: its 'exit' decides
  const forward = (signal: NodeJS.Signals): void => forwarding.received(signal);
  // While the child lives we must not die from these ourselves: listening replaces Node's default action.
  for (const signal of LINKED_SIGNALS) process.on(signal, forward);
  const stopForwarding = (): void => {
    for (const signal of LINKED_SIGNALS) process.removeListener(signal, forward);
    forwarding.childGone();
    link.destroy();
  };

  child.once('error', (error: NodeJS.ErrnoException) => {
    if (finished) return;
    finished = true;
    stopForwarding();
    const shown = JSON.stringify(command);
    if (error.code === 'ENOENT') fail(`cannot run ${shown}: not found`, EXIT_NOT_FOUND);
    if (error.code === 'EACCES' || error.code === 'EPERM') fail(`cannot run ${shown}: permission denied`, EXIT_CANNOT_EXECUTE);
    fail(`cannot run ${shown}: ${error.message}`, EXIT_CANNOT_EXECUTE);
  });

  child.once('exit', (code, signal) => {
    if (finished) return;
    finished = true;
    stopForwarding();
    const end = (): void => {
      if (signal !== null) reraise(signal);
      else process.exit(code ?? 1);
    };
    const ended = (): void => (childEnd.ending ?? endNow)(end, code, signal);
    Promise.all([handoff.sendAfterExit(exitExportTimeoutMs), childEnd.finishing?.()]).then(ended, ended);
  });
}

/** Dies by `signal`; if that signal does not terminate us (e.g. SIGPIPE, which Node ignores), exits 128+n. */
function reraise(signal: NodeJS.Signals): void {
  const number = (constants.signals as Record<string, number | undefined>)[signal] ?? 0;
  process.exitCode = 128 + number;
  try {
    // No listener of ours remains, so the default action (termination) applies.
    process.kill(process.pid, signal);
  } catch {
    process.exit(128 + number);
  }
  // The signal may be delivered to another thread a moment later; if we are still alive after a while, it is
  // ignored (or handled by a preload): leave with the shell's convention.
  setTimeout(() => process.exit(128 + number), 500);
}
