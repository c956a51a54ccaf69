// Where the app's OTLP exporters hand their encoded batches when the launcher sends them
// (OTEL_NODE_EXPORT_VIA_LAUNCHER): set by the exit layer at startup (src/exit/app-shutdown.ts, which
// owns the handoff socket: src/exit/app-live-handoff.ts), read by createOtlpExporter when it is made.
// Unset (no launcher, the setting off, a worker thread, a grandchild): the app exports itself.

import type { OtlpSignalConfig, Signal } from '../../config/types.js';

/** One encoded batch, and what it counts as (spans, log records, metric data points). */
export interface LiveSend {
  readonly signal: Signal;
  readonly config: OtlpSignalConfig;
  readonly body: Uint8Array;
  readonly live: { readonly items: number };
}

/** 'handed': the launcher has it, for good. Otherwise it was not taken (dropped and counted by the caller). */
export type LiveHandover = (send: LiveSend) => 'handed' | 'backlog full' | 'launcher gone';

let handover: LiveHandover | undefined;

export function setLiveHandover(hand: LiveHandover | undefined): void {
  handover = hand;
}

export function liveHandover(): LiveHandover | undefined {
  return handover;
}
