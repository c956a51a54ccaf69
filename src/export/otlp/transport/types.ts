// The seam between an OTLP exporter and the wire: a transport sends one encoded request and reports one result.

import type { ExportResult } from '../../../core/export-result.js';

/**
 * One encoded OTLP request in, exactly one ExportResult out.
 *
 * `deadlineMs` is ABSOLUTE, on the `Date.now()` clock; `Infinity` means no deadline. Absolute deadlines let the
 * retry layer hand the same value to every attempt without bookkeeping.
 */
export interface Transport {
  /** Never throws; calls `done` exactly once (asynchronously). */
  send(body: Uint8Array, deadlineMs: number, done: (result: ExportResult) => void): void;
  /** Ends pending work promptly (retry waits give up), lets in-flight requests finish, releases sockets. Never rejects. */
  shutdown(): Promise<void>;
  /**
   * Requests written to the connection in full whose answer has not come: the collector has them, or
   * will, even if this process ends now (the kernel still sends what it accepted). The exit path does not
   * hand those to anyone else, which would send them twice.
   */
  onTheWire?(): number;
}

/** What a collector's response said beyond success (spec: log it, never retry). */
export interface PartialSuccessInfo {
  readonly rejected: number;
  readonly errorMessage: string;
}

/** Options every network transport takes. */
export interface TransportHooks {
  /** Called for a successful response carrying partial_success. */
  readonly onPartialSuccess?: (info: PartialSuccessInfo) => void;
}

/** Error codes that mean "could not talk to the collector at all" (drives the one-per-outage warning). */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_ERROR',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** An Error carrying a machine-readable code (Node system error code, or `GRPC_<NAME>` / `HTTP_<status>`). */
export interface CodedError extends Error {
  code?: string;
}

export function codedError(message: string, code: string, cause?: unknown): CodedError {
  const err: CodedError = cause === undefined ? new Error(message) : new Error(message, { cause });
  err.code = code;
  return err;
}

/** A failed result no retry would fix. */
export function failure(message: string, code: string, cause?: unknown): ExportResult {
  return { ok: false, retryable: false, error: codedError(message, code, cause) };
}

/** The code of a request the collector refused as too large: the exporter sends it again in halves. */
export const PAYLOAD_TOO_LARGE = 'HTTP_413';

/** TLS handshake failures (bad CA, expired or mismatched certificate): the collector is unreachable for us too. */
const TLS_ERROR_CODE = /CERT|SIGNATURE|^ERR_SSL_|^ERR_TLS_|^ERR_OSSL_/;

/** The connection failed because a certificate was not trusted, expired, or did not match (a subset of connection errors). */
export function isTlsError(err: Error | undefined): boolean {
  const code = (err as CodedError | undefined)?.code;
  return typeof code === 'string' && TLS_ERROR_CODE.test(code);
}

/** A proxy that could not open a tunnel to the collector (tinyproxy 500, squid 503, others 502 or 504). */
const PROXY_GATEWAY_ERROR = /^PROXY_5\d\d$/;

export function isConnectionError(err: Error | undefined): boolean {
  const code = (err as CodedError | undefined)?.code;
  return (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || PROXY_GATEWAY_ERROR.test(code))) || isTlsError(err);
}

/** Node errors sometimes hide the socket error behind a wrapper (http2 stream cancel): find the innermost code. */
export function rootErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  let code: string | undefined;
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    e = (e as { cause?: unknown }).cause;
  }
  return code;
}

/** Response bodies are capped at 4 MiB after decompression (spec). */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Requests above 64 MiB before compression are not sent (spec). */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
