// Stable HTTP semantic conventions: attribute names, method normalisation, url.full (redacted by
// src/diag/redact.ts).

import { REDACTED_CREDENTIALS, redactSensitiveQueryValues } from '../../src/diag/redact.js';

export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_QUERY = 'url.query';
export const ATTR_URL_SCHEME = 'url.scheme';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_NETWORK_PEER_ADDRESS = 'network.peer.address';
export const ATTR_NETWORK_PEER_PORT = 'network.peer.port';
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original';

// RFC 9110 methods plus PATCH (RFC 5789): the default known set of the conventions.
const DEFAULT_KNOWN_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
let knownMethods = new Set(DEFAULT_KNOWN_METHODS);

/** OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS replaces the whole set. */
export function setKnownMethods(methods: readonly string[] | undefined): void {
  knownMethods = new Set(methods === undefined || methods.length === 0 ? DEFAULT_KNOWN_METHODS : methods);
}

/** The method attribute value: the method itself if known, else '_OTHER'. */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (knownMethods.has(method)) return method;
  const upper = method.toUpperCase();
  return knownMethods.has(upper) ? upper : '_OTHER';
}

/** Span name target-less form: the method, or 'HTTP' for unknown methods. */
export function spanNameFor(normalizedMethod: string): string {
  return normalizedMethod === '_OTHER' ? 'HTTP' : normalizedMethod;
}

/** HTTP version as the conventions spell it: '1.0', '1.1', '2', '3'. */
export function protocolVersion(httpVersion: string | undefined): string | undefined {
  if (httpVersion === undefined || httpVersion === '') return undefined;
  if (httpVersion === '2.0') return '2';
  if (httpVersion === '3.0') return '3';
  return httpVersion;
}

export interface HostAndPort {
  readonly address: string;
  readonly port: number | undefined;
}

// A server sees the same Host header on request after request: the last one parsed is kept.
let lastHost = '';
let lastParsed: HostAndPort = { address: '', port: undefined };

/** Splits a Host header ('example.com:8080', '[::1]:3000') into address and port. Do not mutate the result: it is shared. */
export function parseHostHeader(host: string): HostAndPort {
  if (host === lastHost) return lastParsed;
  const parsed = splitHost(host);
  lastHost = host;
  lastParsed = parsed;
  return parsed;
}

function splitHost(host: string): HostAndPort {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close !== -1) {
      const port = host.charCodeAt(close + 1) === 58 /* : */ ? Number(host.slice(close + 2)) : undefined;
      return { address: host.slice(1, close), port: Number.isInteger(port) ? port : undefined };
    }
  }
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.indexOf(':') !== colon) return { address: host, port: undefined };
  const port = Number(host.slice(colon + 1));
  return { address: host.slice(0, colon), port: Number.isInteger(port) && port > 0 ? port : undefined };
}

/**
 * url.full from its parts: `authority` is host[:port] as it appears in the URL (IPv6 in brackets,
 * default port left out), `pathWithQuery` starts with '/'. Credentials are never written, only
 * marked (REDACTED:REDACTED@), and sensitive query values are redacted.
 */
export function buildUrlFull(protocol: string, authority: string, pathWithQuery: string, hasCredentials: boolean): string {
  const question = pathWithQuery.indexOf('?');
  const path =
    question === -1 ? pathWithQuery : `${pathWithQuery.slice(0, question + 1)}${redactSensitiveQueryValues(pathWithQuery.slice(question + 1))}`;
  return `${protocol}//${hasCredentials ? REDACTED_CREDENTIALS : ''}${authority}${path}`;
}
