// What an undici request is aimed at, as the client-span attributes need it: method (normalised),
// server.address, server.port (default by scheme) and url.full (redacted), from the request's
// origin ('http://127.0.0.1:3000', as undici's Client passes it), method and path ('/a?b=c').

import { buildUrlFull, normalizeMethod } from '../http/semconv.js';

export interface RequestTarget {
  /** http.request.method: the method, or '_OTHER' if unknown. */
  readonly method: string;
  /** The method as sent, for http.request.method_original when `method` is '_OTHER'. */
  readonly rawMethod: string;
  readonly address: string;
  readonly port: number;
  readonly url: string;
}

interface ParsedOrigin {
  readonly protocol: string;
  readonly address: string;
  readonly port: number;
  /** host[:port] as written in a URL (brackets kept, default port left out). */
  readonly authority: string;
  readonly hasCredentials: boolean;
}

// An app talks to few origins: parsing each once saves a URL parse per request. The cap only
// guards against apps that hit unbounded hosts (crawlers); past it the cache starts over.
const ORIGIN_CACHE_LIMIT = 256;
const origins = new Map<string, ParsedOrigin | null>();

function parseOrigin(origin: string): ParsedOrigin | null {
  let parsed = origins.get(origin);
  if (parsed !== undefined) return parsed;
  try {
    const url = new URL(origin);
    const hostname = url.hostname;
    const address = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
    const defaultPort = url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
    parsed = {
      protocol: url.protocol,
      address,
      port: url.port === '' ? defaultPort : Number(url.port),
      authority: url.host,
      hasCredentials: url.username !== '' || url.password !== '',
    };
  } catch {
    parsed = null;
  }
  if (origins.size >= ORIGIN_CACHE_LIMIT) origins.clear();
  origins.set(origin, parsed);
  return parsed;
}

/** undici keeps the origin as a string; a URL object is accepted too. */
function originString(origin: unknown): string | undefined {
  if (typeof origin === 'string') return origin;
  if (origin instanceof URL) return origin.href;
  return undefined;
}

/** The target of an undici request, or undefined if its origin is not a URL we can read. */
export function describeRequest(origin: unknown, method: unknown, path: unknown): RequestTarget | undefined {
  const text = originString(origin);
  if (text === undefined) return undefined;
  const parsed = parseOrigin(text);
  if (parsed === null) return undefined;
  const rawMethod = typeof method === 'string' && method !== '' ? method : 'GET';
  const normalized = normalizeMethod(rawMethod);
  const pathWithQuery = typeof path === 'string' && path !== '' ? path : '/';
  return {
    method: normalized,
    rawMethod,
    address: parsed.address,
    port: parsed.port,
    url: buildUrlFull(parsed.protocol, parsed.authority, pathWithQuery, parsed.hasCredentials),
  };
}
