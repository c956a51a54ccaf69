// What the shutdown logic needs from each signal's pipeline, whatever exports it.

export interface Pipeline {
  readonly name: string;
  /** Something is queued or in flight. */
  hasPending(): boolean;
  forceFlush(timeoutMs: number): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
  /**
   * Called from process 'exit' and fatal signals, where no more event-loop turns happen:
   * sends everything pending synchronously, bounded by the export timeout.
   */
  exportAtExit(): void;
}
