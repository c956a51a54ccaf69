// The one result shape that flows from transports through exporters to processors.

export type ExportResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly error: Error; readonly retryAfterMs?: number };

export const EXPORT_OK: ExportResult = Object.freeze({ ok: true as const });

/** One exporter per signal; built by composing an encoder and a transport for OTLP. */
export interface Exporter<T> {
  /** Never throws; calls done exactly once. */
  export(batch: readonly T[], done: (result: ExportResult) => void): void;
  /** Resolves once in-flight exports have ended; never rejects. */
  shutdown(): Promise<void>;
  /**
   * The export in flight is on the wire: its request is written in full and awaits the collector's answer.
   * It then reaches the collector without us, so the exit path does not send it again (no duplicates).
   */
  onTheWire?(): boolean;
}
