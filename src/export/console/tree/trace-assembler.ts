// Gathers the spans and log records of each trace until it can be printed whole. Spans arrive as
// they end (children before their parents), from one process or, at the launcher, from several, so
// a trace is printed once a root has arrived (a span without a parent, or one whose parent is in
// another process) and nothing more came for a short grace: the rest of a trace from another
// process arrives within that grace. A trace whose root never comes (still open, or lost) is
// printed anyway after a longer hold, its pieces marked as such. What comes for a trace after it
// was printed is printed as a fragment of its own, after the same grace.

import { PLAIN, type TreeStyle } from './terminal-style.js';
import { renderLogLine, renderTraceTree } from './render-trace-tree.js';
import type { TreeLog, TreeRecord, TreeSpan } from './tree-records.js';

export interface AssemblerOptions {
  readonly write: (text: string) => void;
  readonly style?: TreeStyle;
  /** Quiet time after a root, before the trace is printed. */
  readonly graceMs?: number;
  /** The longest a trace is held without a root. */
  readonly maxHoldMs?: number;
  /** Spans and records held at most, all traces together; past it the oldest trace is printed now. */
  readonly maxHeld?: number;
  /** Whether spans come at all: when not (traces go elsewhere), log records are printed at once. */
  readonly withSpans: boolean;
}

export const GRACE_MS = 300;
export const MAX_HOLD_MS = 10_000;
const MAX_HELD = 20_000;
/** Traces printed lately, so that a late piece is not held for a root that has already been printed. */
const RECENT = 1_000;

interface HeldTrace {
  readonly spans: TreeSpan[];
  readonly logs: TreeLog[];
  readonly deadline: number;
  /** The trace was printed already: this is what came after. */
  readonly late: boolean;
  rootSeen: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class TraceAssembler {
  readonly #traces = new Map<string, HeldTrace>();
  readonly #recent = new Set<string>();
  readonly #write: (text: string) => void;
  readonly #style: TreeStyle;
  readonly #graceMs: number;
  readonly #maxHoldMs: number;
  readonly #maxHeld: number;
  readonly #withSpans: boolean;
  #held = 0;

  constructor(options: AssemblerOptions) {
    this.#write = options.write;
    this.#style = options.style ?? PLAIN;
    this.#graceMs = options.graceMs ?? GRACE_MS;
    this.#maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
    this.#maxHeld = options.maxHeld ?? MAX_HELD;
    this.#withSpans = options.withSpans;
  }

  add(record: TreeRecord): void {
    if (record.type === 'log' && (record.traceId === undefined || !this.#withSpans)) {
      this.#output(`${renderLogLine(record, this.#style)}\n`);
      return;
    }
    const traceId = record.traceId!;
    let trace = this.#traces.get(traceId);
    if (trace === undefined) {
      const late = this.#recent.has(traceId);
      trace = { spans: [], logs: [], deadline: Date.now() + this.#maxHoldMs, late, rootSeen: late, timer: undefined };
      this.#traces.set(traceId, trace);
    }
    if (record.type === 'span') {
      trace.spans.push(record);
      if (record.parentSpanId === undefined || record.parentIsRemote === true) trace.rootSeen = true;
    } else {
      trace.logs.push(record);
    }
    this.#held++;
    this.#schedule(traceId, trace);
    while (this.#held > this.#maxHeld) {
      const oldest = this.#traces.keys().next();
      if (oldest.done === true) break;
      this.#print(oldest.value);
    }
  }

  hasPending(): boolean {
    return this.#traces.size > 0;
  }

  /** Prints every trace held now, oldest first (the process or the launcher is leaving). */
  flushAll(): void {
    for (const traceId of [...this.#traces.keys()]) this.#print(traceId);
  }

  #schedule(traceId: string, trace: HeldTrace): void {
    if (trace.timer !== undefined) clearTimeout(trace.timer);
    const now = Date.now();
    const wait = trace.rootSeen ? Math.min(this.#graceMs, trace.deadline - now) : trace.deadline - now;
    trace.timer = setTimeout(() => this.#print(traceId), Math.max(0, wait));
    // Holding a trace never keeps a process alive: it is printed at exit (tree-output.ts, the launcher's host).
    trace.timer.unref();
  }

  #print(traceId: string): void {
    const trace = this.#traces.get(traceId);
    if (trace === undefined) return;
    this.#traces.delete(traceId);
    if (trace.timer !== undefined) clearTimeout(trace.timer);
    this.#held -= trace.spans.length + trace.logs.length;
    this.#recent.add(traceId);
    if (this.#recent.size > RECENT) this.#recent.delete(this.#recent.values().next().value!);
    let lines: string[];
    try {
      lines = renderTraceTree(trace.spans, trace.logs, this.#style, trace.late);
    } catch {
      return; // runs from a timer in the app's process: a fault of ours must not become the app's exception
    }
    // A blank line after each trace keeps them apart.
    this.#output(`${lines.join('\n')}\n\n`);
  }

  #output(text: string): void {
    try {
      this.#write(text);
    } catch {
      // stdout closed (EPIPE): nothing to print to, and never a reason to disturb the app
    }
  }
}
