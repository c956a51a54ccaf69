// OTLP/HTTP: POST over node:http / node:https with a keep-alive agent.
// Node's Agent unrefs idle keep-alive sockets and refs them while a request is in flight, so an idle exporter
// never keeps the process alive but an in-flight export (bounded by its deadline) completes.

import * as http from 'node:http';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ExportResult } from '../../../core/export-result.js';
import { EXPORT_OK } from '../../../core/export-result.js';
import { collectorText } from '../../../diag/collector-text.js';
import { diag } from '../../../diag/log.js';
import { decodePartialSuccess, decodeRpcStatus, longToNumber } from '../encode-protobuf/common.js';
import { userAgent } from '../user-agent.js';
import { codedError, MAX_RESPONSE_BYTES, rootErrorCode, type Transport, type TransportHooks } from './types.js';
import { AcceptedSends, compressThen } from './accepted-sends.js';
import { inFlightHoldsTheProcess } from '../../leaving.js';
import { forwardThroughProxy, HttpsTunnelAgent, TUNNEL_DEADLINE } from './http-proxy-agents.js';
import { proxyAnswer, proxyRefusal } from './proxy-tunnel.js';
import { parseProxy, type ProxyEndpoint } from './proxy-url.js';

export type OtlpHttpContentType = 'application/x-protobuf' | 'application/json';

export interface HttpTransportOptions extends TransportHooks {
  /** The full URL to POST to (e.g. http://collector:4318/v1/traces). */
  readonly url: string;
  readonly contentType: OtlpHttpContentType;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly certificateFile?: string | undefined;
  readonly clientKeyFile?: string | undefined;
  readonly clientCertificateFile?: string | undefined;
  /** `http://[user:password@]host:port` to go through (src/config/proxy-for-endpoint.ts). */
  readonly proxy?: string | undefined;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RESERVED_HEADERS = new Set([
  'content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'user-agent', 'host', 'connection',
]);
const DIGITS = /^\d+$/;
/** Enough of a text body for the characters collectorText() prints. */
const TEXT_BODY_PREFIX = 4096;

/** Retry-After as delta-seconds or HTTP-date -> milliseconds from `now`; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (DIGITS.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().includes('json');
}

/** Media types a collector may answer with for each request type (the spec says: the request's own). */
const OTLP_RESPONSE_TYPES: Readonly<Record<OtlpHttpContentType, readonly string[]>> = {
  'application/x-protobuf': ['application/x-protobuf', 'application/protobuf'],
  'application/json': ['application/json'],
};

/** `text/html; charset=utf-8` -> `text/html`. */
function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** google.rpc.Status.message from an error body (protobuf or JSON), or the text of a text/* body; escaped and bounded. */
function errorBodyMessage(body: Buffer, contentType: string | undefined): string {
  if (body.length === 0) return '';
  try {
    const ct = (contentType ?? '').toLowerCase();
    if (ct.includes('json')) {
      const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown };
      return typeof parsed?.message === 'string' ? collectorText(parsed.message) : '';
    }
    if (ct.includes('protobuf')) return collectorText(decodeRpcStatus(body).message);
    if (ct.startsWith('text/')) return collectorText(body.subarray(0, TEXT_BODY_PREFIX).toString('utf8').trim());
  } catch {
    // undecodable body: status code alone
  }
  return '';
}

/** partial_success from an OTLP/JSON response body: {"partialSuccess":{"rejectedSpans":"2","errorMessage":"..."}}. Throws on a body that is no JSON object. */
function jsonPartialSuccess(body: Buffer): { rejected: number; errorMessage: string } | undefined {
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown> | null;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
  const ps = (parsed?.partialSuccess ?? parsed?.partial_success) as Record<string, unknown> | undefined;
  if (ps === undefined || ps === null || typeof ps !== 'object') return undefined;
  let rejected = 0;
  for (const key of Object.keys(ps)) {
    if (key.startsWith('rejected')) rejected = longToNumber(ps[key]) || 0;
  }
  const msg = ps.errorMessage ?? ps.error_message;
  return { rejected, errorMessage: typeof msg === 'string' ? msg : '' };
}

export class HttpTransport implements Transport {
  readonly #opts: HttpTransportOptions;
  readonly #url: URL;
  readonly #request: typeof http.request;
  readonly #headers: Record<string, string>;
  readonly #proxy: ProxyEndpoint | undefined;
  /** http:// through a proxy: requests go to the proxy, which forwards them (absolute form). */
  readonly #forwarded: boolean;
  #agent: http.Agent | undefined;
  #agentError: Error | undefined;
  readonly #accepted = new AcceptedSends();
  #shutdown = false;
  #onTheWire = 0;

  constructor(opts: HttpTransportOptions) {
    this.#opts = opts;
    this.#url = new URL(opts.url);
    this.#request = this.#url.protocol === 'https:' ? https.request : http.request;
    this.#proxy = opts.proxy === undefined ? undefined : parseProxy(opts.proxy);
    this.#forwarded = this.#proxy !== undefined && this.#url.protocol === 'http:';
    const headers: Record<string, string> = {};
    for (const name of Object.keys(opts.headers)) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) continue;
      headers[lower] = opts.headers[name];
    }
    headers['content-type'] = opts.contentType;
    headers['user-agent'] = userAgent();
    if (opts.compression === 'gzip') headers['content-encoding'] = 'gzip';
    this.#headers = headers;
  }

  #getAgent(): http.Agent | undefined {
    if (this.#agent !== undefined || this.#agentError !== undefined) return this.#agent;
    const common = { keepAlive: true, scheduling: 'lifo' as const, maxSockets: 16 };
    if (this.#url.protocol === 'https:') {
      const o = this.#opts;
      try {
        const options: https.AgentOptions = {
          ...common,
          ca: o.certificateFile ? readFileSync(o.certificateFile) : undefined,
          key: o.clientKeyFile ? readFileSync(o.clientKeyFile) : undefined,
          cert: o.clientCertificateFile ? readFileSync(o.clientCertificateFile) : undefined,
        };
        this.#agent = this.#proxy === undefined ? new https.Agent(options) : new HttpsTunnelAgent(this.#proxy, options);
      } catch (err) {
        this.#agentError = codedError(`cannot read TLS file: ${(err as Error).message}`, 'TLS_FILE', err);
      }
    } else {
      // Through a proxy, one connection per request: tinyproxy, for one, only relays bytes after the first
      // request of a connection and closes it when the collector does, so a kept one fails the next export.
      this.#agent = new http.Agent(this.#proxy === undefined ? common : { ...common, keepAlive: false });
    }
    return this.#agent;
  }

  send(body: Uint8Array, deadlineMs: number, done: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      process.nextTick(done, { ok: false, retryable: false, error: codedError('HTTP transport is shut down', 'SHUTDOWN') });
      return;
    }
    const finish = this.#accepted.track(done);
    compressThen(body, this.#opts.compression, finish, (bytes) => this.#post(bytes, deadlineMs, finish));
  }

  #post(payload: Uint8Array, deadlineMs: number, done: (result: ExportResult) => void): void {
    const remaining = deadlineMs - Date.now();
    if (remaining <= 0) {
      process.nextTick(done, { ok: false, retryable: true, error: codedError('HTTP export deadline exceeded before sending', 'HTTP_DEADLINE_EXCEEDED') });
      return;
    }
    const agent = this.#getAgent();
    if (agent === undefined) {
      process.nextTick(done, { ok: false, retryable: false, error: this.#agentError ?? new Error('no HTTP agent') });
      return;
    }

    let finished = false;
    let written = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ExportResult): void => {
      if (finished) return;
      finished = true;
      if (written) this.#onTheWire--;
      if (timer !== undefined) clearTimeout(timer);
      done(result);
    };

    let req: http.ClientRequest;
    try {
      const options: http.RequestOptions = { method: 'POST', agent, headers: { ...this.#headers, 'content-length': String(payload.length) } };
      if (this.#proxy === undefined) req = this.#request(this.#url, options);
      else if (this.#forwarded) req = http.request(forwardThroughProxy(this.#url, this.#proxy, options));
      else req = this.#request(this.#url, { ...options, [TUNNEL_DEADLINE]: deadlineMs } as http.RequestOptions);
    } catch (err) {
      process.nextTick(done, { ok: false, retryable: false, error: codedError(`HTTP request failed: ${(err as Error).message}`, 'HTTP_REQUEST', err) });
      return;
    }

    if (Number.isFinite(remaining)) {
      timer = setTimeout(() => {
        const socket = req.socket;
        const code = socket === null || socket === undefined || socket.connecting ? 'ETIMEDOUT' : 'HTTP_DEADLINE_EXCEEDED';
        finish({ ok: false, retryable: true, error: codedError(`HTTP export deadline exceeded after ${Math.round(remaining)} ms`, code) });
        req.destroy();
      }, remaining);
      timer.unref();
    }

    req.on('error', (err: Error) => {
      const refused = proxyRefusal(err);
      if (refused !== undefined) {
        finish(refused);
        return;
      }
      const code = rootErrorCode(err) ?? 'HTTP_NETWORK';
      finish({ ok: false, retryable: true, error: codedError(`HTTP transport error: ${err.message}`, code, err) });
    });

    req.on('response', (res: http.IncomingMessage) => {
      const fromProxy = this.#forwarded ? proxyAnswer(res.statusCode ?? 0, res.headers['content-type']) : undefined;
      if (fromProxy !== undefined) {
        // Its page is not read: tinyproxy resets the connection right after it, which would otherwise
        // turn the answer into a retried ECONNRESET.
        finish(fromProxy);
        res.on('error', () => undefined);
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          finish({ ok: false, retryable: false, error: codedError('HTTP response exceeds 4 MiB', 'RESPONSE_TOO_LARGE') });
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err: Error) => {
        finish({ ok: false, retryable: true, error: codedError(`HTTP response error: ${err.message}`, rootErrorCode(err) ?? 'ECONNRESET', err) });
      });
      res.on('close', () => {
        // The connection dropped mid-response without an 'error': still answer exactly once.
        if (!finished && !res.complete) {
          finish({ ok: false, retryable: true, error: codedError('HTTP response aborted', 'ECONNRESET') });
        }
      });
      res.on('end', () => {
        if (finished) return;
        let body = Buffer.concat(chunks);
        if (/gzip/i.test(res.headers['content-encoding'] ?? '') && body.length > 0) {
          try {
            body = gunzipSync(body, { maxOutputLength: MAX_RESPONSE_BYTES });
          } catch (err) {
            const tooLarge = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
            finish({
              ok: false,
              retryable: false,
              error: codedError(tooLarge ? 'HTTP response exceeds 4 MiB' : 'HTTP response gzip is corrupt', 'RESPONSE_TOO_LARGE'),
            });
            return;
          }
        }
        finish(this.#result(res, body));
      });
    });

    // Under the launcher, an export in flight does not keep the app alive (src/export/leaving.ts); the agent
    // refs a socket as it hands it to a request, before this runs.
    if (!inFlightHoldsTheProcess()) req.on('socket', (socket) => socket.unref());
    // 'finish': the whole request is with the kernel.
    req.end(payload, () => {
      if (finished) return;
      written = true;
      this.#onTheWire++;
    });
  }

  onTheWire(): number {
    return this.#onTheWire;
  }

  #result(res: http.IncomingMessage, body: Buffer): ExportResult {
    const status = res.statusCode ?? 0;
    const contentType = res.headers['content-type'];
    if (status >= 200 && status < 300) return this.#success(status, contentType, body);
    const detail = errorBodyMessage(body, contentType);
    const error = codedError(`HTTP status ${status}${detail ? `: ${detail}` : ''}`, `HTTP_${status}`);
    if (!RETRYABLE_STATUS.has(status)) return { ok: false, retryable: false, error };
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    return retryAfterMs === undefined ? { ok: false, retryable: true, error } : { ok: false, retryable: true, error, retryAfterMs };
  }

  /**
   * A 2xx is OTLP's success only when it is an OTLP answer: the request's content type (or none, with a
   * body that decodes as the response, or no body at all, which is the empty response). Anything else,
   * such as a proxy's or a web server's HTML page, means the telemetry reached no collector: a failure,
   * not retried (the page will not change by itself). The status is the collector's word otherwise: an
   * OTLP-typed body that does not decode is still a success, as a gRPC OK with an odd message is.
   */
  #success(status: number, contentType: string | undefined, body: Buffer): ExportResult {
    const expected = this.#opts.contentType;
    const typed = contentType !== undefined && contentType.trim() !== '';
    if (typed && !OTLP_RESPONSE_TYPES[expected].includes(mediaType(contentType))) {
      return this.#notOtlp(status, `content-type ${collectorText(contentType)}`, body, contentType);
    }
    if (body.length === 0) return EXPORT_OK;
    let ps: { rejected: number; errorMessage: string } | undefined;
    try {
      ps = expected === 'application/json' ? jsonPartialSuccess(body) : decodePartialSuccess(body);
    } catch (err) {
      if (!typed) return this.#notOtlp(status, `no content-type, and a body of ${body.length} bytes that is not ${isJson(expected) ? 'OTLP/JSON' : 'OTLP protobuf'}`, body, undefined);
      diag.debug(`OTLP HTTP response could not be decoded: ${(err as Error).message}`);
      return EXPORT_OK;
    }
    if (ps !== undefined && (ps.rejected !== 0 || ps.errorMessage !== '')) this.#opts.onPartialSuccess?.(ps);
    return EXPORT_OK;
  }

  #notOtlp(status: number, why: string, body: Buffer, contentType: string | undefined): ExportResult {
    const excerpt = errorBodyMessage(body, contentType);
    const error = codedError(`HTTP status ${status} is not an OTLP response (${why})${excerpt ? `: ${excerpt}` : ''}`, 'HTTP_NOT_OTLP');
    return { ok: false, retryable: false, error };
  }

  /** Waits for accepted requests (each bounded by its deadline), then releases the sockets. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await this.#accepted.drained();
    this.#agent?.destroy();
  }
}

export function createHttpTransport(opts: HttpTransportOptions): Transport {
  return new HttpTransport(opts);
}
