// A real OTLP/HTTP peer on node:http(s): records each request (protobuf or JSON, gzip or not), decoded
// with the official schema, and answers as scripted (statuses, Retry-After, partial success, delays, hangs).

import * as http from 'node:http';
import * as https from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { BaseReceiver, type ReceiverOptions, type ScriptedResponse, type TlsServerOptions } from './base-receiver.js';
import { decodeJson, decodeProtobuf } from './decode.js';
import { encodeRpcStatus, TYPES, type OtlpSignal } from './schema.js';

function signalOfPath(path: string): OtlpSignal {
  if (path.includes('metrics') || path.includes('Metrics')) return 'metrics';
  if (path.includes('logs') || path.includes('Logs')) return 'logs';
  return 'traces';
}

export class HttpReceiver extends BaseReceiver {
  readonly #server: http.Server;
  readonly #host: string;
  readonly #tls: boolean;
  readonly #hanging = new Set<http.ServerResponse>();

  private constructor(host: string, tls: TlsServerOptions | undefined) {
    super();
    this.#host = host;
    this.#tls = tls !== undefined;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.#handle(req, res);
    this.#server =
      tls === undefined
        ? http.createServer(handler)
        : https.createServer(
            { key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.requireClientCert ?? false, rejectUnauthorized: tls.requireClientCert ?? false },
            handler,
          );
  }

  static async start(opts: ReceiverOptions = {}): Promise<HttpReceiver> {
    const host = opts.host ?? '127.0.0.1';
    const receiver = new HttpReceiver(host, opts.tls);
    receiver.keep = opts.keep ?? true;
    receiver.spanIds = opts.spanIds;
    await new Promise<void>((resolve, reject) => {
      receiver.#server.once('error', reject);
      receiver.#server.listen(opts.port ?? 0, host, () => {
        receiver.#server.off('error', reject);
        resolve();
      });
    });
    receiver.port = (receiver.#server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return `${this.#tls ? 'https' : 'http'}://${this.#host}:${this.port}`;
  }

  /** Full URL for a signal's default path, e.g. http://127.0.0.1:1234/v1/traces. */
  signalUrl(signal: OtlpSignal = 'traces'): string {
    return this.url + TYPES[signal].httpPath;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const signal = signalOfPath(path);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const compressed = /gzip/i.test(headers['content-encoding'] ?? '');
      const contentType = headers['content-type'] ?? '';
      const json = contentType.includes('json');
      let raw = Buffer.concat(chunks);
      let body: any;
      let decodeError: string | undefined;
      try {
        if (compressed) raw = gunzipSync(raw);
        body = json ? decodeJson(signal, raw) : decodeProtobuf(signal, raw);
      } catch (err) {
        decodeError = (err as Error).message;
      }
      const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      const received = { signal, path, headers, compressed, contentType, body, decodeError, raw, receivedAt: Date.now(), peer };
      this.record(received);
      const r = this.answerFor(received);
      const answer = (): void => this.#answer(res, signal, json, r);
      if (r.hang) {
        this.#hanging.add(res);
        return;
      }
      if (r.delayMs !== undefined) this.later(r.delayMs, answer);
      else answer();
    });
  }

  #answer(res: http.ServerResponse, signal: OtlpSignal, json: boolean, r: ScriptedResponse): void {
    if (res.destroyed) return;
    const status = r.httpStatus ?? 200;
    const headers: Record<string, string> = {};
    const contentType = r.contentType ?? (json ? 'application/json' : 'application/x-protobuf');
    if (contentType !== '') headers['content-type'] = contentType;
    if (r.retryAfter !== undefined) headers['retry-after'] = r.retryAfter;
    let payload: Buffer;
    if (r.rawBody !== undefined) payload = Buffer.from(r.rawBody);
    else if (status >= 200 && status < 300) {
      const key = TYPES[signal].rejectedKey;
      if (json) {
        payload = Buffer.from(
          JSON.stringify(r.partialSuccess ? { partialSuccess: { [key]: String(r.partialSuccess.rejected), errorMessage: r.partialSuccess.errorMessage } } : {}),
        );
      } else {
        const type = TYPES[signal].response;
        const msg = r.partialSuccess ? { partialSuccess: { [key]: r.partialSuccess.rejected, errorMessage: r.partialSuccess.errorMessage } } : {};
        payload = Buffer.from(type.encode(type.fromObject(msg)).finish());
      }
    } else {
      const message = r.message ?? `status ${status}`;
      payload = json ? Buffer.from(JSON.stringify({ code: 2, message })) : encodeRpcStatus(2, message, undefined);
    }
    headers['content-length'] = String(payload.length);
    res.writeHead(status, headers);
    res.end(payload);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

export function startHttpReceiver(opts?: ReceiverOptions): Promise<HttpReceiver> {
  return HttpReceiver.start(opts);
}
