// Wraps the global console's printing methods: the app's output is written by the original method,
// untouched; the same text (without colours) becomes a log record with the active trace context.

import type { Logger } from '@opentelemetry/api-logs';
import { format } from 'node:util';
import { isSuppressed } from '../../src/context/suppress.js';
import { Guard } from '../../src/hook/guard.js';
import { libraryWriting } from '../log-bridge/library-writing.js';
import { wrap } from '../../src/hook/patch.js';
import { CONSOLE_SEVERITY, type ConsoleSeverity } from './severity.js';

type Method = keyof typeof CONSOLE_SEVERITY;
type ConsoleFn = (...args: unknown[]) => void;

/**
 * Node's console keeps these under symbols, found by description so the output is matched exactly:
 * on the global console they are own properties, on a `new Console()` some are on the prototype.
 */
function consoleSymbol(target: object, description: string): symbol | undefined {
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    const found = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (found !== undefined) return found;
  }
  return undefined;
}

export class ConsoleCapture {
  readonly #logger: Logger;
  readonly #target: Console;
  readonly #groupIndent: symbol | undefined;
  /** Set while an original method runs on behalf of another (console.trace prints via console.error). */
  #nested: ConsoleSeverity | undefined;
  /** Set while a record is being built, so nothing we call can feed back into a capture. */
  #emitting = false;
  /** A fault of ours turns capture off after one debug line: the app's printing goes on. */
  readonly #guard = new Guard('console');

  constructor(logger: Logger, target: Console = console) {
    this.#logger = logger;
    this.#target = target;
    // Node 20 names it kGroupIndent, Node 22 and 24 kGroupIndentationString.
    this.#groupIndent = consoleSymbol(target, 'kGroupIndent') ?? consoleSymbol(target, 'kGroupIndentationString');
  }

  install(): void {
    for (const method of Object.keys(CONSOLE_SEVERITY) as Method[]) {
      if (method === 'trace') wrap(this.#target, 'trace', (original) => this.#wrapTrace(original as ConsoleFn));
      else wrap(this.#target, method, (original) => this.#wrapPrint(original as ConsoleFn, CONSOLE_SEVERITY[method]));
    }
  }

  #wrapPrint(original: ConsoleFn, severity: ConsoleSeverity): ConsoleFn {
    const capture = this;
    return function capturedPrint(this: unknown, ...args: unknown[]): void {
      original.apply(this, args);
      capture.#record(capture.#nested ?? severity, args);
    };
  }

  /**
   * console.trace builds "Trace: <message>\n<stack>" and prints it with console.error, where the record
   * is taken (once, TRACE severity). It is rebuilt here rather than called, because calling the
   * original would put this wrapper's frame into the printed stack.
   */
  #wrapTrace(original: ConsoleFn): ConsoleFn {
    const capture = this;
    const target = this.#target as unknown as Record<symbol, unknown> & Console;
    const formatForStderr = consoleSymbol(target, 'kFormatForStderr');
    if (formatForStderr === undefined || typeof target[formatForStderr] !== 'function') return original;
    return function capturedTrace(this: unknown, ...args: unknown[]): void {
      // Node binds the global console's methods, so a detached call still prints through it.
      const self = (this !== null && typeof this === 'object' && typeof (this as Console).error === 'function' ? this : target) as typeof target;
      const err = { name: 'Trace', message: (self[formatForStderr] as (a: unknown[]) => string).call(self, args) };
      Error.captureStackTrace(err, capturedTrace);
      const outer = capture.#nested;
      capture.#nested = CONSOLE_SEVERITY.trace;
      try {
        self.error((err as { stack?: string }).stack);
      } finally {
        capture.#nested = outer;
      }
    };
  }

  #record(severity: ConsoleSeverity, args: unknown[]): void {
    if (this.#emitting || !this.#guard.enabled || libraryWriting()) return;
    if (isSuppressed()) return; // our own exporters' work
    this.#emitting = true;
    try {
      this.#logger.emit({
        timestamp: Date.now(),
        severityNumber: severity.number,
        severityText: severity.text,
        body: this.#text(args),
      });
    } catch (error) {
      this.#guard.fail(error);
    } finally {
      this.#emitting = false;
    }
  }

  /** The text as the console prints it without colours: util.format plus console.group indentation. */
  #text(args: unknown[]): string {
    const text = format(...args);
    const indent = this.#groupIndent === undefined ? '' : (this.#target as unknown as Record<symbol, unknown>)[this.#groupIndent];
    if (typeof indent !== 'string' || indent.length === 0) return text;
    return indent + (text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text);
  }
}
