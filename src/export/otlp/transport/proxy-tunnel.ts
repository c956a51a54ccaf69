// An HTTP CONNECT tunnel through a proxy, made with node:http: gRPC (any scheme) and OTLP/HTTP over https
// speak to the collector inside it, as curl and grpc-core do. The proxy's refusal (407, 403, 5xx), of a
// tunnel or of a plain http request, is a failed export whose message carries the status and the
// standard reason phrase, never the proxy's own text; 429 and 5xx are retried (nothing reached the
// collector) and count as the collector being unreachable, the others are not retried.

import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { ExportResult } from '../../../core/export-result.js';
import { userAgent } from '../user-agent.js';
import type { ProxyEndpoint } from './proxy-url.js';
import { codedError, type CodedError } from './types.js';

/** The code of a CONNECT the proxy answered with `status`: `PROXY_407`. */
const REFUSAL_CODE = /^PROXY_(\d{3})$/;

/**
 * Opens a tunnel to `authority` (`host:port`) and hands over the socket, already past the proxy's answer.
 * Calls `done` exactly once; a proxy that does not answer by `deadlineMs` fails with ETIMEDOUT.
 */
export function openTunnel(
  proxy: ProxyEndpoint,
  authority: string,
  deadlineMs: number,
  done: (err: Error | undefined, socket?: Socket) => void,
): void {
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (err: Error | undefined, socket?: Socket): void => {
    if (finished) {
      socket?.destroy();
      return;
    }
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
    done(err, socket);
  };
  const headers: Record<string, string> = { host: authority, 'user-agent': userAgent() };
  if (proxy.authorization !== undefined) headers['proxy-authorization'] = proxy.authorization;
  let req: http.ClientRequest;
  try {
    req = http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: authority, headers, agent: false });
  } catch (err) {
    process.nextTick(finish, err as Error);
    return;
  }
  const remaining = deadlineMs - Date.now();
  if (Number.isFinite(remaining)) {
    timer = setTimeout(() => {
      req.destroy(codedError(`the proxy did not open a tunnel to ${authority} within ${Math.round(remaining)} ms`, 'ETIMEDOUT'));
    }, Math.max(0, remaining));
    timer.unref();
  }
  req.once('connect', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      // Bytes the collector sent right after the proxy's answer (an h2c server's SETTINGS) belong to the tunnel.
      if (head.length > 0) socket.unshift(head);
      finish(undefined, socket);
      return;
    }
    socket.destroy();
    finish(codedError(`the proxy refused the tunnel to ${authority}: ${statusText(status)}`, `PROXY_${status}`));
  });
  req.once('error', (err: Error) => finish(err));
  req.end();
}

/** `407 Proxy Authentication Required`: the standard reason phrase, never the proxy's own. */
function statusText(status: number): string {
  const reason = http.STATUS_CODES[status];
  return reason === undefined ? String(status) : `${status} ${reason}`;
}

function refusalResult(status: number, error: Error): ExportResult {
  return { ok: false, retryable: status === 429 || status >= 500, error };
}

/** The export result for a CONNECT the proxy refused; undefined for any other error. */
export function proxyRefusal(err: Error): ExportResult | undefined {
  const match = REFUSAL_CODE.exec((err as CodedError).code ?? '');
  return match === null ? undefined : refusalResult(Number(match[1]), err);
}

/**
 * A plain http request's answer that the proxy made itself (it asks for credentials, refuses, or cannot
 * reach the collector), or undefined for the collector's. An OTLP collector answers errors with a
 * Status in protobuf or JSON (spec); anything else between us and it is the proxy's, and its page is
 * not read.
 */
export function proxyAnswer(status: number, contentType: string | undefined): ExportResult | undefined {
  if (status >= 200 && status < 300) return undefined;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('protobuf') || type.includes('json')) return undefined;
  return refusalResult(status, codedError(`the proxy answered ${statusText(status)}`, `PROXY_${status}`));
}
