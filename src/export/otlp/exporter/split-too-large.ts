// Encodes and sends one batch. A request the collector refuses as too large (HTTP 413), or one above
// our own size limit, is sent again as two halves, down to single items: what fits is kept.

import type { Signal } from '../../../config/types.js';
import type { ExportResult } from '../../../core/export-result.js';
import { diag, warnOnce } from '../../../diag/log.js';
import { failure, PAYLOAD_TOO_LARGE, type CodedError, type Transport } from '../transport/types.js';
import { ITEM_NOUN } from './item-noun.js';

/** Sends `batch` before the absolute `deadlineMs`; calls `done` once, never throws. */
export type SendBatch<T> = (batch: readonly T[], deadlineMs: number, done: (result: ExportResult) => void) => void;

export interface SplittingSenderOptions<T> {
  readonly signal: Signal;
  /** The collector's URL, redacted, for the messages. */
  readonly url: string;
  readonly encode: (batch: readonly T[]) => Uint8Array;
  readonly transport: Transport;
  readonly maxRequestBytes: number;
}

export function splittingSender<T>({ signal, url, encode, transport, maxRequestBytes }: SplittingSenderOptions<T>): SendBatch<T> {
  const sendSplittable: SendBatch<T> = (batch, deadlineMs, done) => {
    let body: Uint8Array;
    try {
      body = encode(batch);
    } catch (err) {
      diag.warn(`OTLP ${signal}: could not encode ${batch.length} ${ITEM_NOUN[signal]}: ${(err as Error)?.message ?? String(err)}`);
      process.nextTick(done, failure(`OTLP ${signal} encoding failed`, 'ENCODE', err));
      return;
    }
    const tooLarge = (refusedBy: string): void => {
      if (batch.length > 1 && Date.now() < deadlineMs) {
        diag.debug(`OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; sending its ${batch.length} ${ITEM_NOUN[signal]} in two halves`);
        sendHalves(batch, deadlineMs, done);
        return;
      }
      warnOnce(
        `otlp-too-large-${signal}-${url}`,
        `OTLP ${signal}: ${refusedBy} a request of ${body.length} bytes; dropped ${batch.length} ${ITEM_NOUN[signal]} that could not be sent smaller`,
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
  const sendHalves: SendBatch<T> = (batch, deadlineMs, done) => {
    const middle = batch.length >>> 1;
    sendSplittable(batch.slice(0, middle), deadlineMs, (first) =>
      sendSplittable(batch.slice(middle), deadlineMs, (second) => done(first.ok ? second : first)),
    );
  };
  return sendSplittable;
}
