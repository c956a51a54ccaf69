// Which HTTP proxy an OTLP endpoint is reached through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read the way
// curl reads them (lib/proxy.c; every rule below was checked against curl 7.88 and curl's master source):
// - the endpoint's scheme picks the variable: https:// -> https_proxy, then HTTPS_PROXY; http:// ->
//   http_proxy, then HTTP_PROXY. The lower-case one wins; an empty one counts as unset. curl never reads
//   upper-case HTTP_PROXY, because under CGI a request's `Proxy:` header becomes that variable (httpoxy);
//   we read it as asked, except when REQUEST_METHOD says we run under CGI (what Go's net/http does).
// - the proxy is `[http://][user:password@]host[:port]`; without a port, 1080 (curl's default, not 80).
//   Only http:// proxies: an https:// or socks proxy is said once and the endpoint is reached directly.
// - no_proxy, then NO_PROXY: `*` alone bypasses every endpoint; else a list (commas or blanks) of host
//   names, each matching itself and its subdomains (a leading or trailing dot is ignored, case too), and
//   IP addresses, optionally with /bits (CIDR). Host names are not resolved: `localhost` does not match
//   127.0.0.1. An entry never looks at ports: `example.com` matches example.com:4318, and an entry with a
//   port (`localhost:4318`) matches nothing, in curl as here.

import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { redactUrlCredentials } from '../diag/redact.js';
import { warnConfig } from './config-warnings.js';
import { type Env, readRaw, showValue } from './env-readers.js';

export interface ProxyChoice {
  /** `http://[user:password@]host:port` to go through (credentials as given, percent-encoded), or undefined: direct. */
  readonly url: string | undefined;
  /** Why, as --print-config says it (credentials redacted); undefined when no proxy variable is set. */
  readonly note: string | undefined;
}

const DIRECT: ProxyChoice = { url: undefined, note: undefined };

/** curl's port for a proxy given without one (CURL_DEFAULT_PROXY_PORT). */
const DEFAULT_PROXY_PORT = 1080;

/** The first of `names` that is set and not empty, with its value. */
function firstSet(env: Env, names: readonly string[]): [name: string, value: string] | undefined {
  for (const name of names) {
    const value = readRaw(env, name);
    if (value !== undefined) return [name, value];
  }
  return undefined;
}

/** The variables that name the proxy for a scheme, in the order they are read. */
function proxyVariables(env: Env, protocol: string): readonly string[] {
  if (protocol === 'https:') return ['https_proxy', 'HTTPS_PROXY'];
  if (protocol !== 'http:') return [];
  return readRaw(env, 'REQUEST_METHOD') === undefined ? ['http_proxy', 'HTTP_PROXY'] : ['http_proxy'];
}

/** The proxy for `endpoint` (an http:// or https:// URL), or direct, and why. */
export function proxyForEndpoint(env: Env, endpoint: string): ProxyChoice {
  let target: URL;
  try {
    target = new URL(endpoint);
  } catch {
    return DIRECT;
  }
  const proxy = firstSet(env, proxyVariables(env, target.protocol));
  if (proxy === undefined) return DIRECT;
  const [name, raw] = proxy;

  const noProxy = firstSet(env, ['no_proxy', 'NO_PROXY']);
  if (noProxy !== undefined) {
    const entry = noProxyEntryFor(target.hostname, noProxy[1]);
    if (entry !== undefined) return { url: undefined, note: `no proxy: ${noProxy[0]} has ${entry}` };
  }

  const parsed = parseProxyUrl(raw);
  if ('error' in parsed) {
    const shown = showValue(redactUrlCredentials(raw));
    warnConfig(`config:${name}=${raw}`, `${name}=${shown} is not used (${parsed.error}); OTLP connects to ${target.origin} directly`);
    return { url: undefined, note: `${name}=${shown} is not used: ${parsed.error}` };
  }
  return { url: parsed.url, note: `through the proxy ${redactUrlCredentials(parsed.url)} (${name})` };
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** The host and explicit port of an authority: `[::1]:3128`, `proxy:3128`, `proxy`. */
const AUTHORITY_PORT = /^(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/;

const EXPECTED = { error: 'expected [http://][user:password@]host[:port]' };

/** `http://[user:password@]host:port`, or why the value cannot be used. */
export function parseProxyUrl(raw: string): { readonly url: string } | { readonly error: string } {
  const scheme = SCHEME.exec(raw);
  const name = scheme?.[1]!.toLowerCase();
  if (name !== undefined && name !== 'http') {
    return { error: name.startsWith('socks') ? 'SOCKS proxies are not supported, only http://' : `${name}:// proxies are not supported, only http://` };
  }
  const rest = scheme === null ? raw : raw.slice(scheme[0].length);
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return EXPECTED;
  }
  if (url.hostname === '') return EXPECTED;
  // WHATWG URL drops an explicit :80 (the http default), so the port is read from the text itself.
  const given = AUTHORITY_PORT.exec(rest)?.[1];
  const port = given !== undefined && given !== '' ? Number(given) : DEFAULT_PROXY_PORT;
  const userinfo = url.username !== '' || url.password !== '' ? `${url.username}${url.password !== '' ? `:${url.password}` : ''}@` : '';
  return { url: `http://${userinfo}${url.hostname}:${port}` };
}

/** The NO_PROXY entry that makes `hostname` (as URL.hostname gives it) go direct, as curl decides; undefined if none. */
export function noProxyEntryFor(hostname: string, noProxy: string): string | undefined {
  if (noProxy === '*') return '*';
  let name = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIPv4(name) ? 'ipv4' : isIPv6(name) ? 'ipv6' : undefined;
  if (family === undefined && name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return undefined;
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (entry === '') continue;
    const match = family === undefined ? hostMatches(entry, name) : ipMatches(entry, name, family);
    if (match) return entry;
  }
  return undefined;
}

/** `example.com` (or `.example.com`) matches example.com and www.example.com, not nonexample.com. */
function hostMatches(entry: string, name: string): boolean {
  let token = entry.endsWith('.') ? entry.slice(0, -1) : entry;
  if (token.startsWith('.')) token = token.slice(1);
  if (token === '') return false;
  const lowerName = name.toLowerCase();
  const lowerToken = token.toLowerCase();
  return lowerName === lowerToken || lowerName.endsWith(`.${lowerToken}`);
}

const BITS = /^\d+$/;

/** An address or a CIDR range of the host's own family. curl's quirk kept: an IPv4 `/0` means the address alone. */
function ipMatches(entry: string, address: string, family: 'ipv4' | 'ipv6'): boolean {
  const slash = entry.indexOf('/');
  const network = slash === -1 ? entry : entry.slice(0, slash);
  if (family === 'ipv4' ? !isIPv4(network) : !isIPv6(network)) return false;
  let bits = family === 'ipv4' ? 32 : 128;
  if (slash !== -1) {
    const text = entry.slice(slash + 1);
    if (!BITS.test(text)) return false;
    const n = Number(text);
    if (n > bits) return false;
    if (n !== 0) bits = n;
  }
  const list = new BlockList();
  list.addSubnet(network, bits, family);
  return list.check(address, family);
}
