// The proxy an OTLP transport goes through, as config resolved it (src/config/proxy-for-endpoint.ts):
// where to connect, the Proxy-Authorization its credentials make, and how messages name it. Loads no
// network module, so the exporter can name the proxy without loading node:http in a gRPC run.

import { redactEndpointUrl, redactUrlCredentials } from '../../../diag/redact.js';

export interface ProxyEndpoint {
  /** For net.connect: an IPv6 address without brackets. */
  readonly host: string;
  readonly port: number;
  /** `Basic <base64(user:password)>` when the proxy URL has credentials (percent-decoded first, as curl does). */
  readonly authorization: string | undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `url` is config's `http://[user:password@]host:port`. */
export function parseProxy(url: string): ProxyEndpoint {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const hasCredentials = parsed.username !== '' || parsed.password !== '';
  return {
    host,
    port: Number(parsed.port || 80),
    authorization: hasCredentials
      ? `Basic ${Buffer.from(`${decode(parsed.username)}:${decode(parsed.password)}`, 'utf8').toString('base64')}`
      : undefined,
  };
}

/** The collector as our warnings name it: `https://collector:4318/v1/traces`, plus ` through the proxy http://REDACTED:REDACTED@proxy:3128` when there is one. */
export function describeTarget(config: { readonly url: string; readonly proxy?: string | undefined }): string {
  const url = redactEndpointUrl(config.url);
  return config.proxy === undefined ? url : `${url} through the proxy ${redactUrlCredentials(config.proxy)}`;
}

/** `host:port` of a URL as a CONNECT request names it (default port filled in, IPv6 in brackets). */
export function connectAuthority(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}
