// How OTLP/HTTP goes through a proxy, as curl does it: an https:// collector through a CONNECT tunnel
// (TLS end to end, the proxy sees only `CONNECT host:port`), an http:// collector as a request in
// absolute form to the proxy (`POST http://collector:4318/v1/traces`), which forwards it. Both keep
// their connections alive in the transport's own Agent, as a direct connection does.

import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { openTunnel } from './proxy-tunnel.js';
import type { ProxyEndpoint } from './proxy-url.js';

/** Request option carrying the export's absolute deadline to the tunnel (Agent passes request options through). */
export const TUNNEL_DEADLINE = Symbol('otel-instrument.tunnelDeadline');

/** An https.Agent whose connections are TLS inside a CONNECT tunnel; idle ones are kept and reused. */
export class HttpsTunnelAgent extends https.Agent {
  readonly #proxy: ProxyEndpoint;

  constructor(proxy: ProxyEndpoint, options: https.AgentOptions) {
    super(options);
    this.#proxy = proxy;
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = String(options.host ?? options.hostname ?? 'localhost');
    const authority = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
    const deadline = (options as Record<symbol, unknown>)[TUNNEL_DEADLINE];
    openTunnel(this.#proxy, authority, typeof deadline === 'number' ? deadline : Infinity, (err, socket) => {
      if (err !== undefined) {
        callback?.(err, undefined as unknown as Duplex);
        return;
      }
      // The options are the ones the Agent would have connected with (CA, client certificate, servername):
      // only the socket differs, so the certificate is checked against the collector's name, not the proxy's.
      callback?.(null, tls.connect({ ...(options as tls.ConnectionOptions), socket }));
    });
    return undefined;
  }
}

/** Options for http.request that send `url` to the proxy in absolute form, with the proxy's credentials. */
export function forwardThroughProxy(url: URL, proxy: ProxyEndpoint, options: http.RequestOptions): http.RequestOptions {
  const headers: http.OutgoingHttpHeaders = { ...(options.headers as http.OutgoingHttpHeaders), host: url.host };
  if (proxy.authorization !== undefined) headers['proxy-authorization'] = proxy.authorization;
  return {
    ...options,
    host: proxy.host,
    port: proxy.port,
    // The request line carries the URL without credentials; those become Authorization, as for a direct request.
    path: `${url.protocol}//${url.host}${url.pathname}${url.search}`,
    auth: urlToHttpOptions(url).auth,
    headers,
  };
}
