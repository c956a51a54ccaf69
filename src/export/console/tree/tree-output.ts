// The console tree in an app's process (OTEL_NODE_CONSOLE_FORMAT=tree): finished spans and emitted log
// records go, as they come (the spec pairs console exporters with a simple processor), either
//  - to the launcher, when this process runs under one (OTEL_INSTRUMENT_CONSOLE_TREE names its socket):
//    the launcher assembles the traces of every process it started, so the span of a service this app
//    started itself, or of a worker, nests under the client span that called it, in one tree; or
//  - to a TraceAssembler here, which prints to this process's stdout (no launcher: a preload by hand,
//    or the launcher could not be reached).
// Records for the launcher wait a few milliseconds to go as one write; at exit whatever waits is
// written synchronously, and held traces are printed (src/bootstrap/console-tree-pipeline.ts).

import type { Socket } from 'node:net';
import type { Config } from '../../../config/types.js';
import type { LogRecordListener } from '../../../logs/logger.js';
import type { SdkSpan, SpanEndListener } from '../../../trace/span.js';
import { diag } from '../../../diag/log.js';
import { TraceAssembler } from './trace-assembler.js';
import { terminalStyle } from './terminal-style.js';
import { treeLogOf, treeSpanOf, type TreeRecord } from './tree-records.js';
import { CONSOLE_TREE_VAR, treeHasSpans } from './tree-config.js';

/** How long records wait to go to the launcher together: well inside the assembler's grace. */
const SEND_DELAY_MS = 20;

class TreeOutput {
  readonly #withSpans: boolean;
  #local: TraceAssembler | undefined;
  #socket: Socket | undefined;
  #waiting: TreeRecord[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(withSpans: boolean, socketPath: string | undefined) {
    this.#withSpans = withSpans;
    if (socketPath !== undefined && socketPath !== '') this.#connect(socketPath);
  }

  add(record: TreeRecord): void {
    if (this.#socket === undefined) {
      this.#localAssembler().add(record);
      return;
    }
    this.#waiting.push(record);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#send();
      }, SEND_DELAY_MS);
      this.#timer.unref();
    }
  }

  hasPending(): boolean {
    return this.#waiting.length > 0 || this.#local?.hasPending() === true;
  }

  /** Sends what waits (or prints it here, when the launcher cannot take it now) and prints held traces. */
  flushNow(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#socket?.connecting === true) this.#fallBack(); // at exit there is no time to wait for it
    this.#send();
    this.#local?.flushAll();
  }

  #connect(path: string): void {
    const { connect } = require('node:net') as typeof import('node:net');
    const socket = connect(path);
    // Never keeps the app alive; a launcher that is gone only means printing here instead.
    socket.unref();
    socket.on('error', () => this.#fallBack());
    socket.on('close', () => this.#fallBack());
    socket.on('connect', () => this.#send());
    this.#socket = socket;
  }

  #send(): void {
    if (this.#waiting.length === 0) return;
    const socket = this.#socket;
    if (socket === undefined) {
      const records = this.#waiting;
      this.#waiting = [];
      for (const record of records) this.#localAssembler().add(record);
      return;
    }
    if (socket.connecting) return; // 'connect' sends them
    let text = '';
    for (const record of this.#waiting) text += `${JSON.stringify(record)}\n`;
    this.#waiting = [];
    // A local socket takes this at once (libuv writes before queueing), which is what makes exit safe.
    socket.write(text);
  }

  #fallBack(): void {
    if (this.#socket === undefined) return;
    this.#socket.destroy();
    this.#socket = undefined;
    this.#send();
  }

  #localAssembler(): TraceAssembler {
    this.#local ??= new TraceAssembler({
      withSpans: this.#withSpans,
      // NO_COLOR and FORCE_COLOR are the terminal's conventions, not OTEL_* settings.
      style: terminalStyle(process.stdout, process.env),
      write: (text) => process.stdout.write(text),
    });
    return this.#local;
  }
}

export interface ConsoleTree {
  readonly spans: SpanEndListener;
  readonly logs: LogRecordListener;
  /** Records wait to be sent, or traces to be printed. */
  hasPending(): boolean;
  /** Sends what waits and prints what is held, synchronously (also at exit). */
  flushNow(): void;
}

let started: ConsoleTree | undefined;

/** The process's one console tree, shared by traces and logs (created by the first that asks). */
export function consoleTree(config: Config): ConsoleTree {
  if (started !== undefined) return started;
  const output = new TreeOutput(treeHasSpans(config), process.env[CONSOLE_TREE_VAR]);
  started = {
    // Called inside span.end() and the app's logging calls: a fault of ours loses a line, never reaches the app.
    spans: {
      onEnd(span: SdkSpan): void {
        if ((span.traceFlags & 1) !== 1) return;
        try {
          output.add(treeSpanOf(span));
        } catch (error) {
          diag.debug(`console tree: a span could not be shown (${String(error)})`);
        }
      },
    },
    logs: {
      onEmit(record): void {
        try {
          output.add(treeLogOf(record));
        } catch (error) {
          diag.debug(`console tree: a log record could not be shown (${String(error)})`);
        }
      },
    },
    hasPending: () => output.hasPending(),
    flushNow: () => output.flushNow(),
  };
  return started;
}

/** The console tree, if traces or logs started one (src/bootstrap/start-sdk.ts runs its pipeline after theirs). */
export function startedConsoleTree(): ConsoleTree | undefined {
  return started;
}
