// Sends one batch. A request the collector refuses as too large (HTTP 413), or one above our own size
// limit, is sent again as two halves, down to single items: what fits is kept. A batch is what the
// exporter was given: the app's items, encoded here (itemBatches), or a request its app encoded already,
// cut in halves as bytes (request-halves.ts), which is how the launcher applies the same rule.

import type { Signal } from '../../../config/types.js';
import type { ExportResult } from '../../../core/export-result.js';
import { diag, warnOnce } from '../../../diag/log.js';
import { failure, PAYLOAD_TOO_LARGE, type CodedError, type Transport } from '../transport/types.js';
import { ITEM_NOUN } from './item-noun.js';

/** A batch that could not be encoded: warned, and dropped (not retryable). */
export function encodingFailure(signal: Signal, items: number, err: unknown): ExportResult {
  diag.warn(`OTLP ${signal}: could not encode ${items} ${ITEM_NOUN[signal]}: ${(err as Error)?.message ?? String(err)}`);
  return failure(`OTLP ${signal} encoding failed`, 'ENCODE', err);
}

/** Sends `batch` before the absolute `deadlineMs`; calls `done` once, never throws. */
export type SendBatch<B> = (batch: B, deadlineMs: number, done: (result: ExportResult) => void) => void;

/** What the sender needs to know of a batch. */
export interface Batches<B> {
  /** The request body; may throw (an encoding failure drops the batch). */
  encode(batch: B): Uint8Array;
  /** How many items it holds, for the messages. */
  count(batch: B): number;
  /** Its two halves, or undefined when it cannot be cut (one item). */
  halves(batch: B): [B, B] | undefined;
}

/** Arrays of items, encoded by `encode`. */
export function itemBatches<T>(encode: (batch: readonly T[]) => Uint8Array): Batches<readonly T[]> {
  return {
    encode,
    count: (batch) => batch.length,
    halves: (batch) => {
      if (batch.length < 2) return undefined;
      const middle = batch.length >>> 1;
      return [batch.slice(0, middle), batch.slice(middle)];
    },
  };
}

export interface SplittingSenderOptions<B> {
  readonly signal: Signal;
  /** The collector's URL, redacted, for the messages. */
  readonly url: string;
  readonly batches: Batches<B>;
  readonly transport: Transport;
  readonly maxRequestBytes: number;
}

export function splittingSender<B>({ signal, url, batches, transport, maxRequestBytes }: SplittingSenderOptions<B>): SendBatch<B> {
  const sendSplittable: SendBatch<B> = (batch, deadlineMs, done) => {
    let body: Uint8Array;
    try {
      body = batches.encode(batch);
    } catch (err) {
      process.nextTick(done, encodingFailure(signal, batches.count(batch), err));
      return;
    }
    const tooLarge = (refusedBy: string): void => {
      const halves = Date.now() < deadlineMs ? batches.halves(batch) : undefined;
      if (halves !== undefined) {
        diag.debug(`OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; sending its ${batches.count(batch)} ${ITEM_NOUN[signal]} in two halves`);
        const [first, second] = halves;
        sendSplittable(first, deadlineMs, (one) => sendSplittable(second, deadlineMs, (two) => done(one.ok ? two : one)));
        return;
      }
      warnOnce(
        `otlp-too-large-${signal}-${url}`,
        `OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; dropped ${batches.count(batch)} ${ITEM_NOUN[signal]} that could not be sent smaller`,
      );
      done(failure(`OTLP ${signal} request too large (${body.length} bytes)`, 'REQUEST_TOO_LARGE'));
    };
    if (body.length > maxRequestBytes) {
      process.nextTick(tooLarge, `the ${maxRequestBytes}-byte request limit refuses`);
      return;
    }
    try {
      transport.send(body, deadlineMs, (result) => {
        if (!result.ok && (result.error as CodedError).code === PAYLOAD_TOO_LARGE) tooLarge(`the collector at ${url} refused (HTTP 413)`);
        else done(result);
      });
    } catch (err) {
      // Transports never throw; this guards the contract anyway.
      process.nextTick(done, failure(`OTLP ${signal} send failed`, 'SEND', err));
    }
  };
  return sendSplittable;
}
