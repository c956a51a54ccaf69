// What the shutdown logic needs from each signal's pipeline, whatever exports it.

import type { ExitSend } from './exit-sends.js';

export interface Pipeline {
  readonly name: string;
  /** Something is queued or in flight. */
  hasPending(): boolean;
  forceFlush(timeoutMs: number): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
  /**
   * Called from process 'exit' and fatal signals, where no more event-loop turns happen: console
   * output is written now; encoded OTLP requests are added to `sends`, which the shutdown sends
   * together, synchronously, in one child process.
   */
  exportAtExit(sends: ExitSend[]): void;
  /** What was dropped so far ("120 spans"), for the debug summary at exit; undefined when nothing was. */
  dropped(): string | undefined;
}
