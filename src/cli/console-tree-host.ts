// The launcher's side of the console tree (src/export/console/tree/tree-output.ts). With
// OTEL_NODE_CONSOLE_FORMAT=tree the launcher opens a local socket (a Unix socket in a private temporary
// folder, a named pipe on Windows) and names it to the command in OTEL_INSTRUMENT_CONSOLE_TREE. Every
// process of the command inherits the name (the app, a service it starts itself, their workers), sends
// its finished spans and log records there, and the launcher prints each trace once, whole: a span whose
// parent is in another of these processes nests under it. Why here: the launcher is the one process that
// hears from all of them and writes to the same terminal; a process that printed its own part would
// cut a trace into as many pieces as it crossed processes.
// The launcher does not read the app's stdout (the app keeps its own, TTY and all); the trees are written
// to the launcher's stdout, which is the one the app inherited.

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag } from '../diag/log.js';
import { TraceAssembler } from '../export/console/tree/trace-assembler.js';
import { terminalStyle } from '../export/console/tree/terminal-style.js';
import { parseTreeRecord } from '../export/console/tree/tree-records.js';

/** After the command ends, how long to wait for its processes' last records (a grandchild may outlive it). */
const DRAIN_MS = 200;
/** A line longer than this is no record of ours: dropped rather than buffered. */
const MAX_LINE = 1 << 20;

export interface ConsoleTreeHost {
  /** The socket's name, for OTEL_INSTRUMENT_CONSOLE_TREE. */
  readonly path: string;
  /** Once the command has ended: takes its last records, prints every trace held, closes the socket. */
  finish(): Promise<void>;
}

function readLines(socket: Socket, onLine: (line: string) => void): void {
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    if (rest.length > MAX_LINE) rest = '';
    for (const line of lines) if (line !== '') onLine(line);
  });
}

/** Where the trees go: the launcher's stdout, which the command inherited. */
type Output = Pick<NodeJS.WriteStream, 'write' | 'on' | 'isTTY' | 'columns'>;

export function startConsoleTreeHost(withSpans: boolean, output: Output = process.stdout): ConsoleTreeHost | undefined {
  const { createServer } = require('node:net') as typeof import('node:net');
  let folder: string | undefined;
  let path: string;
  try {
    if (process.platform === 'win32') {
      path = `\\\\.\\pipe\\otel-instrument-${process.pid}-${Date.now().toString(36)}`;
    } else {
      // Only this user can reach a socket in a folder made with mode 0700 (mkdtemp).
      folder = mkdtempSync(join(tmpdir(), 'otel-instrument-'));
      path = join(folder, 'tree.sock');
    }
  } catch (error) {
    diag.debug(`console tree: no socket for the processes (${String(error)}); each prints its own part`);
    return undefined;
  }
  const removeFolder = (): void => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', removeFolder);

  const assembler = new TraceAssembler({
    withSpans,
    // NO_COLOR and FORCE_COLOR are the terminal's conventions, not OTEL_* settings.
    style: terminalStyle(output, process.env),
    write: (text) => output.write(text),
  });
  // A closed stdout (`| head`) must not end the launcher, and with it the app: the trees are just lost.
  output.on('error', () => undefined);
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => undefined); // a process killed mid-write: what arrived is kept
    readLines(socket, (line) => {
      const record = parseTreeRecord(line);
      if (record !== undefined) assembler.add(record);
    });
  });
  server.on('error', (error) => diag.debug(`console tree: the launcher's socket failed (${String(error)}); each process prints its own part`));
  // Binding a local socket is synchronous: the command cannot start before it is there.
  server.listen(path);
  server.unref();

  return {
    path,
    async finish(): Promise<void> {
      if (open.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, DRAIN_MS);
          const check = (): void => {
            if (open.size > 0) return;
            clearTimeout(timer);
            resolve();
          };
          for (const socket of open) socket.once('close', () => setImmediate(check));
        });
      }
      assembler.flushAll();
      server.close();
      for (const socket of open) socket.destroy();
      removeFolder();
    },
  };
}
