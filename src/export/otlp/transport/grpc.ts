// OTLP/gRPC as a unary call over node:http2: one reused session per transport, 5-byte message framing,
// grpc-status from trailers (or from headers for trailers-only responses), the spec's retry table.
// No @grpc/grpc-js at runtime: it is large to load and we need one method.

import * as http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import type { ExportResult } from '../../../core/export-result.js';
import { EXPORT_OK } from '../../../core/export-result.js';
import { collectorText } from '../../../diag/collector-text.js';
import { diag } from '../../../diag/log.js';
import { decodePartialSuccess, decodeRpcStatus } from '../encode-protobuf/common.js';
import { redactEndpointUrl } from '../../../diag/redact.js';
import { userAgent } from '../user-agent.js';
import {
  codedError,
  MAX_RESPONSE_BYTES,
  rootErrorCode,
  type PartialSuccessInfo,
  type Transport,
  type TransportHooks,
} from './types.js';
import { AcceptedSends, compressThen } from './accepted-sends.js';
import { inFlightHoldsTheProcess } from '../../leaving.js';
import { connectAuthority, parseProxy, type ProxyEndpoint } from './proxy-url.js';

export interface GrpcTransportOptions extends TransportHooks {
  /** `http://host:port` (plaintext) or `https://host:port` (TLS). */
  readonly url: string;
  /** The service method path, e.g. TRACE_SERVICE_PATH. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  /** Only consulted when the URL scheme is neither http nor https. */
  readonly insecure?: boolean;
  readonly certificateFile?: string | undefined;
  readonly clientKeyFile?: string | undefined;
  readonly clientCertificateFile?: string | undefined;
  /** `http://[user:password@]host:port`: the session runs inside a CONNECT tunnel through it. */
  readonly proxy?: string | undefined;
}

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html)
const STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
const CANCELLED = 1;
const UNKNOWN = 2;
const PERMISSION_DENIED = 7;
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;
const INTERNAL = 13;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;
/** OTLP spec: retryable codes. RESOURCE_EXHAUSTED only with RetryInfo (handled separately). */
const RETRYABLE = new Set([1, 4, 10, 11, 14, 15]);

// Header names we set ourselves, HTTP/2 forbidden connection headers and pseudo-headers: never from config.
const RESERVED_HEADERS = new Set([
  'content-type', 'te', 'grpc-timeout', 'grpc-encoding', 'grpc-accept-encoding', 'user-agent', 'content-length',
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'http2-settings',
]);

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_NO_ERROR } = http2.constants;

/** Max value of a grpc-timeout field is 8 digits. */
function grpcTimeout(remainingMs: number): string | undefined {
  if (!Number.isFinite(remainingMs)) return undefined;
  const ms = Math.max(1, Math.ceil(remainingMs));
  if (ms <= 99_999_999) return `${ms}m`;
  const s = Math.ceil(ms / 1000);
  return s <= 99_999_999 ? `${s}S` : undefined;
}

/** HTTP status -> gRPC code when a proxy answers instead of a gRPC server (grpc doc http-grpc-status-mapping). */
function httpStatusToGrpc(status: number): number {
  switch (status) {
    case 400: return INTERNAL;
    case 401: return UNAUTHENTICATED;
    case 403: return PERMISSION_DENIED;
    case 404: return UNIMPLEMENTED;
    case 429: case 502: case 503: case 504: return UNAVAILABLE;
    default: return UNKNOWN;
  }
}

/** The collector's grpc-message (percent-encoded on the wire), as our messages may carry it. */
function decodeGrpcMessage(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return '';
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // not percent-encoded after all: as received
  }
  return collectorText(text);
}

function headerString(v: string | string[] | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : String(v);
}

/** Builds the non-retryable/retryable result for a gRPC status. */
export function grpcStatusResult(code: number, message: string, detailsBin: string | undefined): ExportResult {
  if (code === 0) return EXPORT_OK;
  let retryAfterMs: number | undefined;
  if (detailsBin !== undefined && (code === RESOURCE_EXHAUSTED || code === UNAVAILABLE)) {
    try {
      retryAfterMs = decodeRpcStatus(Buffer.from(detailsBin, 'base64')).retryDelayMs;
    } catch {
      // malformed details: treat as absent
    }
  }
  const name = STATUS_NAMES[code] ?? `CODE_${code}`;
  const error = codedError(`gRPC status ${name} (${code})${message ? `: ${message}` : ''}`, `GRPC_${name}`);
  const retryable = RETRYABLE.has(code) || (code === RESOURCE_EXHAUSTED && retryAfterMs !== undefined);
  return retryAfterMs === undefined || !retryable
    ? { ok: false, retryable, error }
    : { ok: false, retryable, error, retryAfterMs };
}

interface TlsMaterial {
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  error?: Error;
}

export class GrpcTransport implements Transport {
  readonly #opts: GrpcTransportOptions;
  readonly #origin: string;
  readonly #secure: boolean;
  readonly #headers: Record<string, string>;
  #tls: TlsMaterial | undefined;
  #session: http2.ClientHttp2Session | undefined;
  readonly #proxy: ProxyEndpoint | undefined;
  /** Through a proxy: the calls waiting for the tunnel being opened. */
  #tunnelWaiters: Array<(failure: ExportResult | undefined) => void> | undefined;
  /** Streams in flight per session: a session is ref'd exactly while it has one. */
  readonly #inFlight = new WeakMap<http2.ClientHttp2Session, number>();
  #shutdown = false;
  readonly #accepted = new AcceptedSends();
  #onTheWire = 0;

  constructor(opts: GrpcTransportOptions) {
    this.#opts = opts;
    let origin = opts.url;
    let secure = !opts.insecure;
    try {
      const u = new URL(opts.url);
      if (u.protocol === 'http:' || u.protocol === 'https:') {
        secure = u.protocol === 'https:';
        origin = `${u.protocol}//${u.host}`; // drop path, userinfo (never sent by http2 anyway)
      } else {
        origin = `${secure ? 'https' : 'http'}://${opts.url.replace(/^[a-z]+:\/\//i, '')}`;
      }
    } catch {
      origin = `${secure ? 'https' : 'http'}://${opts.url}`;
    }
    this.#origin = origin;
    this.#secure = secure;
    this.#proxy = opts.proxy === undefined ? undefined : parseProxy(opts.proxy);
    const headers: Record<string, string> = {};
    for (const name of Object.keys(opts.headers)) {
      const lower = name.toLowerCase();
      if (lower.startsWith(':') || RESERVED_HEADERS.has(lower)) continue;
      headers[lower] = opts.headers[name];
    }
    headers['content-type'] = 'application/grpc';
    headers['te'] = 'trailers';
    headers['user-agent'] = userAgent();
    headers['grpc-accept-encoding'] = 'identity,gzip';
    if (opts.compression === 'gzip') headers['grpc-encoding'] = 'gzip';
    this.#headers = headers;
  }

  send(body: Uint8Array, deadlineMs: number, callerDone: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      process.nextTick(callerDone, { ok: false, retryable: false, error: codedError('gRPC transport is shut down', 'SHUTDOWN') });
      return;
    }
    // Counted from here (compression included) so shutdown() can wait for everything already accepted.
    const done = this.#accepted.track(callerDone);
    compressThen(body, this.#opts.compression, done, (bytes, compressed) => this.#call(bytes, compressed ? 1 : 0, deadlineMs, done));
  }

  #tlsMaterial(): TlsMaterial {
    if (this.#tls !== undefined) return this.#tls;
    const o = this.#opts;
    const tls: TlsMaterial = {};
    try {
      if (o.certificateFile) tls.ca = readFileSync(o.certificateFile);
      if (o.clientKeyFile) tls.key = readFileSync(o.clientKeyFile);
      if (o.clientCertificateFile) tls.cert = readFileSync(o.clientCertificateFile);
    } catch (err) {
      tls.error = codedError(`cannot read TLS file: ${(err as Error).message}`, 'TLS_FILE', err);
    }
    this.#tls = tls;
    return tls;
  }

  #liveSession(): http2.ClientHttp2Session | undefined {
    const existing = this.#session;
    return existing !== undefined && !existing.closed && !existing.destroyed ? existing : undefined;
  }

  /** The live session, or a new one: over `tunnel` when given (the proxy's CONNECT socket), else direct. */
  #getSession(tunnel?: Socket): http2.ClientHttp2Session {
    const existing = this.#liveSession();
    if (existing !== undefined) return existing;
    let session: http2.ClientHttp2Session;
    if (this.#secure) {
      const tls = this.#tlsMaterial();
      const options = { ca: tls.ca, key: tls.key, cert: tls.cert };
      session = tunnel === undefined ? http2.connect(this.#origin, options) : http2.connect(this.#origin, { createConnection: () => this.#tlsInside(tunnel, options) });
    } else {
      session = tunnel === undefined ? http2.connect(this.#origin) : http2.connect(this.#origin, { createConnection: () => tunnel });
    }
    const forget = (): void => {
      if (this.#session === session) this.#session = undefined;
    };
    session.on('error', (err: Error) => {
      forget();
      if (diag.isEnabled('debug')) diag.debug(`OTLP gRPC session to ${redactEndpointUrl(this.#origin)} failed: ${rootErrorCode(err) ?? err.message}`);
    });
    session.on('goaway', forget);
    session.on('close', forget);
    // Idle sessions never keep the process alive; #call refs the session while a request is in flight.
    session.unref();
    this.#session = session;
    return session;
  }

  /** TLS to the collector inside the tunnel: its certificate is checked against the collector's name, not the proxy's. */
  #tlsInside(socket: Socket, material: ConnectionOptions): TLSSocket {
    const { hostname } = new URL(this.#origin);
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    // SNI takes names only (RFC 6066), as http2.connect itself decides.
    return tlsConnect({ ...material, socket, host, servername: isIP(host) === 0 ? host : undefined, ALPNProtocols: ['h2'] });
  }

  /** Opens the tunnel through the proxy once for every call waiting on it; `then` gets the failure, if any. */
  #tunnelThen(proxy: ProxyEndpoint, deadlineMs: number, then: (failure: ExportResult | undefined) => void): void {
    if (this.#tunnelWaiters !== undefined) {
      this.#tunnelWaiters.push(then);
      return;
    }
    const waiters = [then];
    this.#tunnelWaiters = waiters;
    const { openTunnel, proxyRefusal } = require('./proxy-tunnel.js') as typeof import('./proxy-tunnel.js');
    openTunnel(proxy, connectAuthority(new URL(this.#origin)), deadlineMs, (err, socket) => {
      this.#tunnelWaiters = undefined;
      let failure: ExportResult | undefined;
      if (err !== undefined) {
        failure = proxyRefusal(err) ?? { ok: false, retryable: true, error: codedError(`gRPC transport error: ${err.message}`, rootErrorCode(err) ?? 'ECONNRESET', err) };
      } else if (this.#liveSession() !== undefined) {
        socket!.destroy();
      } else {
        try {
          this.#getSession(socket);
        } catch (e) {
          socket!.destroy();
          failure = { ok: false, retryable: true, error: codedError(`gRPC request failed: ${(e as Error).message}`, rootErrorCode(e) ?? 'ERR_HTTP2_SESSION_ERROR', e) };
        }
      }
      for (const waiter of waiters) waiter(failure);
    });
  }

  #call(payload: Uint8Array, compressedFlag: 0 | 1, deadlineMs: number, done: (r: ExportResult) => void): void {
    const remaining = deadlineMs - Date.now();
    if (remaining <= 0) {
      process.nextTick(done, { ok: false, retryable: true, error: codedError('gRPC deadline exceeded before sending', 'GRPC_DEADLINE_EXCEEDED') });
      return;
    }
    if (this.#secure) {
      const tls = this.#tlsMaterial();
      if (tls.error) {
        process.nextTick(done, { ok: false, retryable: false, error: tls.error });
        return;
      }
    }
    if (this.#proxy !== undefined && this.#liveSession() === undefined) {
      // The session needs its tunnel first; the call starts (with its own deadline timer) once it is open.
      this.#tunnelThen(this.#proxy, deadlineMs, (failure) => {
        if (failure === undefined) this.#call(payload, compressedFlag, deadlineMs, done);
        else done(failure);
      });
      return;
    }
    this.#stream(payload, compressedFlag, remaining, done);
  }

  /**
   * The call itself, on one stream. A closed stream is a wrapped native object, which V8's scavenges
   * keep alive until a full GC: its listeners must reach nothing of the call once it is over. So the body
   * is in no closure here, and finish lets go of the caller's callback (through it, the batch).
   */
  #stream(payload: Uint8Array, compressedFlag: 0 | 1, remaining: number, done: (r: ExportResult) => void): void {
    let callerDone: ((r: ExportResult) => void) | undefined = done;
    let finished = false;
    let written = false;
    let session: http2.ClientHttp2Session;
    let stream: http2.ClientHttp2Stream;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ExportResult): void => {
      if (finished) return;
      finished = true;
      if (written) this.#onTheWire--;
      if (timer !== undefined) clearTimeout(timer);
      const n = (this.#inFlight.get(session) ?? 1) - 1;
      this.#inFlight.set(session, n);
      if (n === 0 && !session.destroyed) session.unref();
      const report = callerDone!;
      callerDone = undefined;
      report(result);
    };

    try {
      session = this.#getSession();
      const headers: http2.OutgoingHttpHeaders = { ...this.#headers, ':method': 'POST', ':path': this.#opts.path };
      const timeout = grpcTimeout(remaining);
      if (timeout !== undefined) headers['grpc-timeout'] = timeout;
      stream = session.request(headers, { endStream: false });
    } catch (err) {
      const code = rootErrorCode(err) ?? 'ERR_HTTP2_SESSION_ERROR';
      process.nextTick(done, { ok: false, retryable: true, error: codedError(`gRPC request failed: ${(err as Error).message}`, code, err) });
      return;
    }
    const n = this.#inFlight.get(session) ?? 0;
    this.#inFlight.set(session, n + 1);
    // Under the launcher, an export in flight does not keep the app alive (src/export/leaving.ts).
    if (n === 0 && inFlightHoldsTheProcess()) session.ref();

    if (Number.isFinite(remaining)) {
      timer = setTimeout(() => {
        // Never connected: it is the collector we cannot reach, not a slow export.
        const code = session.connecting ? 'ETIMEDOUT' : 'GRPC_DEADLINE_EXCEEDED';
        finish({ ok: false, retryable: true, error: codedError(`gRPC deadline exceeded after ${Math.round(remaining)} ms`, code) });
        stream.close(NGHTTP2_CANCEL);
      }, remaining);
      timer.unref();
    }

    let httpStatus = 0;
    let grpcStatus: string | undefined;
    let grpcMessage: string | undefined;
    let detailsBin: string | undefined;
    let responseEncoding: string | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let streamError: Error | undefined;

    stream.on('response', (h: http2.IncomingHttpHeaders) => {
      httpStatus = Number(h[':status']) || 0;
      responseEncoding = headerString(h['grpc-encoding']);
      // Trailers-only responses carry the status in the headers block.
      if (h['grpc-status'] !== undefined) {
        grpcStatus = headerString(h['grpc-status']);
        grpcMessage = headerString(h['grpc-message']);
        detailsBin = headerString(h['grpc-status-details-bin']);
      }
    });
    stream.on('trailers', (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) {
        grpcStatus = headerString(h['grpc-status']);
        grpcMessage = headerString(h['grpc-message']);
        detailsBin = headerString(h['grpc-status-details-bin']);
      }
    });
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES + 5) {
        finish({ ok: false, retryable: false, error: codedError('gRPC response exceeds 4 MiB', 'RESPONSE_TOO_LARGE') });
        stream.close(NGHTTP2_CANCEL);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (err: Error) => {
      streamError = err;
    });
    stream.on('close', () => {
      if (finished) return;
      if (streamError !== undefined || (httpStatus === 0 && grpcStatus === undefined)) {
        finish(this.#connectionFailure(streamError, stream.rstCode));
        return;
      }
      if (httpStatus !== 200) {
        const code = httpStatusToGrpc(httpStatus);
        finish(grpcStatusResult(code, `HTTP status ${httpStatus}`, undefined));
        return;
      }
      if (grpcStatus === undefined) {
        finish(this.#resetResult(stream.rstCode));
        return;
      }
      const code = Number(grpcStatus);
      if (code === 0) {
        this.#readResponse(Buffer.concat(chunks), responseEncoding);
        finish(EXPORT_OK);
        return;
      }
      finish(grpcStatusResult(Number.isInteger(code) ? code : UNKNOWN, decodeGrpcMessage(grpcMessage), detailsBin));
    });

    const prefix = Buffer.allocUnsafe(5);
    prefix[0] = compressedFlag;
    prefix.writeUInt32BE(payload.length, 1);
    stream.write(prefix);
    // Called once the DATA frames are written to the session's socket (or with the stream's error).
    stream.end(payload, (err?: Error | null) => {
      if (finished || (err !== undefined && err !== null)) return;
      written = true;
      this.#onTheWire++;
    });
  }

  onTheWire(): number {
    return this.#onTheWire;
  }

  #connectionFailure(err: Error | undefined, rstCode: number | undefined): ExportResult {
    if (err === undefined) return this.#resetResult(rstCode);
    const code = rootErrorCode(err) ?? 'ERR_HTTP2_STREAM_ERROR';
    let message = err.message;
    // Innermost cause carries the socket error (ECONNREFUSED) behind ERR_HTTP2_STREAM_CANCEL.
    let cause: unknown = err.cause;
    while (cause instanceof Error) {
      message = cause.message;
      cause = cause.cause;
    }
    if (code === 'ERR_HTTP2_ERROR' || code === 'ERR_HTTP2_SESSION_ERROR') {
      message += ' (is this an OTLP/HTTP endpoint? OTLP/gRPC usually listens on 4317)';
    }
    return { ok: false, retryable: true, error: codedError(`gRPC transport error: ${message}`, code, err) };
  }

  #resetResult(rstCode: number | undefined): ExportResult {
    if (rstCode === NGHTTP2_REFUSED_STREAM || rstCode === undefined) {
      return grpcStatusResult(UNAVAILABLE, 'stream refused or closed without status', undefined);
    }
    if (rstCode === NGHTTP2_CANCEL) return grpcStatusResult(CANCELLED, 'stream cancelled by server', undefined);
    if (rstCode === NGHTTP2_ENHANCE_YOUR_CALM) return grpcStatusResult(RESOURCE_EXHAUSTED, 'server says ENHANCE_YOUR_CALM', undefined);
    if (rstCode === NGHTTP2_NO_ERROR) return grpcStatusResult(UNKNOWN, 'no grpc-status received (is this a gRPC endpoint?)', undefined);
    return grpcStatusResult(INTERNAL, `stream reset with HTTP/2 code ${rstCode}`, undefined);
  }

  #readResponse(data: Buffer, encoding: string | undefined): void {
    const onPartial = this.#opts.onPartialSuccess;
    if (onPartial === undefined || data.length < 5) return;
    try {
      const len = data.readUInt32BE(1);
      let message: Uint8Array = data.subarray(5, 5 + len);
      if (data[0] === 1) {
        if (encoding !== 'gzip') return;
        message = gunzipSync(message, { maxOutputLength: MAX_RESPONSE_BYTES });
      }
      const ps = decodePartialSuccess(message);
      if (ps !== undefined && (ps.rejected !== 0 || ps.errorMessage !== '')) {
        onPartial({ rejected: ps.rejected, errorMessage: ps.errorMessage } satisfies PartialSuccessInfo);
      }
    } catch (err) {
      diag.debug(`OTLP gRPC response could not be decoded: ${(err as Error).message}`);
    }
  }

  /** Waits for accepted requests (each bounded by its deadline), then closes the session. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await this.#accepted.drained();
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined || session.destroyed || session.closed) return;
    await new Promise<void>((resolve) => session.close(() => resolve()));
  }
}

export function createGrpcTransport(opts: GrpcTransportOptions): Transport {
  return new GrpcTransport(opts);
}
