// What crosses from the app to whoever delivers its last telemetry (the launcher, or the app's own
// sender process): encoded OTLP requests, each described by a small JSON header. Both sides of the
// handoff read this one file, so the frame format cannot drift between them.
//
// Frame: 4-byte big-endian header length, the ExitSendHeader as JSON, then the body.

import { OTLP_TIMEOUT_MS } from '../config/spec-defaults.js';
import type { OtlpSignalConfig, Signal } from '../config/types.js';

/** One encoded OTLP request still to be delivered at exit. */
export interface ExitSend {
  readonly signal: Signal;
  readonly config: OtlpSignalConfig;
  readonly body: Uint8Array;
  /** The app already warned that this collector is unreachable: whoever sends this does not say it again. */
  readonly outageSaid?: boolean;
  /**
   * Handed over while the app runs (OTEL_NODE_EXPORT_VIA_LAUNCHER): the launcher queues it and sends it
   * with retries (launcher-export.ts) rather than once at exit. `items` (spans, log records, metric data
   * points) is what its queue bound and drop counts count.
   */
  readonly live?: { readonly items: number };
}

/** A request's description without its body: a frame's header, and what the sender process reads from OTEL_INSTRUMENT_EXIT_SENDS. */
export interface ExitSendHeader {
  readonly signal: Signal;
  readonly config: OtlpSignalConfig;
  readonly length: number;
  readonly outageSaid?: boolean;
  readonly live?: { readonly items: number };
}

export interface ExitFrame {
  readonly header: ExitSendHeader;
  readonly body: Uint8Array;
}

/** App side: one request as a frame. */
export function encodeFrame(send: ExitSend): Buffer {
  const header: ExitSendHeader = { signal: send.signal, config: send.config, length: send.body.byteLength, outageSaid: send.outageSaid, live: send.live };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.allocUnsafe(4 + json.length + send.body.byteLength);
  frame.writeUInt32BE(json.length, 0);
  json.copy(frame, 4);
  frame.set(send.body, 4 + json.length);
  return frame;
}

/** Launcher side: the complete frames in `b` (a torn last frame is dropped). */
export function decodeFrames(b: Buffer): ExitFrame[] {
  const frames: ExitFrame[] = [];
  let offset = 0;
  while (offset + 4 <= b.length) {
    const headerLength = b.readUInt32BE(offset);
    if (offset + 4 + headerLength > b.length) break;
    let header: ExitSendHeader;
    try {
      header = JSON.parse(b.toString('utf8', offset + 4, offset + 4 + headerLength)) as ExitSendHeader;
    } catch {
      break;
    }
    const start = offset + 4 + headerLength;
    if (start + header.length > b.length) break;
    frames.push({ header, body: b.subarray(start, start + header.length) });
    offset = start + header.length;
  }
  return frames;
}

/**
 * Launcher side: how many bytes `b`, which starts with a frame decodeFrames could not take whole, must
 * hold before it can (at least the next 4 while its header is not all there).
 */
export function frameBytesNeeded(b: Buffer): number {
  if (b.length < 4) return 4;
  const headerLength = b.readUInt32BE(0);
  if (b.length < 4 + headerLength) return 4 + headerLength;
  try {
    const header = JSON.parse(b.toString('utf8', 4, 4 + headerLength)) as ExitSendHeader;
    return 4 + headerLength + header.length;
  } catch {
    return b.length + 1; // a torn header: decodeFrames will not take it however much follows
  }
}

/**
 * How long the exit sends may take together: they go out in parallel, so the longest export timeout
 * bounds them all (a timeout of 0, no limit, counts as the spec's default here: exit must not hang), and
 * `boundMs` (OTEL_NODE_EXIT_EXPORT_TIMEOUT; 0: no bound of its own) bounds that.
 */
export function exitDeadlineMs(configs: readonly { readonly config: Pick<OtlpSignalConfig, 'timeoutMs'> }[], boundMs: number): number {
  let longest = 0;
  for (const { config } of configs) longest = Math.max(longest, config.timeoutMs > 0 ? config.timeoutMs : OTLP_TIMEOUT_MS);
  return boundMs > 0 ? Math.min(boundMs, longest) : longest;
}
