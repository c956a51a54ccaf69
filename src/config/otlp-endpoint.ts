// Per-signal OTLP exporter settings, resolved exactly as protocol/exporter.md says:
// every OTEL_EXPORTER_OTLP_<X> has OTEL_EXPORTER_OTLP_<SIGNAL>_<X> variants, and the per-signal one wins.
//
// Endpoint (http/*): a per-signal endpoint is used as is (a URL without a path gets the root path "/");
// the generic endpoint is a base URL to which `v1/<signal>` is appended (one slash between).
// Endpoint (grpc): `http(s)://host:port`; a scheme-less `host:port` uses TLS unless *_INSECURE=true.
// The default protocol is grpc (DESIGN.md §1, like Python's opentelemetry-instrument; the spec says http/protobuf).

import { warnConfig } from './config-warnings.js';
import type { OtlpProtocol, OtlpSignalConfig, Signal } from './types.js';
import { type Env, markAccepted, markRejected, readBoolOrUndefined, readRaw, warnInvalid } from './env-readers.js';
import { redactUrlSecrets } from '../diag/redact.js';
import { proxyForEndpoint } from './proxy-for-endpoint.js';
import { OTLP_GRPC_ENDPOINT, OTLP_HTTP_ENDPOINT } from './spec-defaults.js';
import {
  OTLP_CERTIFICATE,
  OTLP_CLIENT_CERTIFICATE,
  OTLP_CLIENT_KEY,
  OTLP_COMPRESSION,
  OTLP_HEADERS,
  OTLP_PROTOCOL,
  OTLP_TIMEOUT,
} from './settings/otlp-connection.js';
import type { Setting } from './setting.js';

export const OTLP_SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** OTEL_EXPORTER_OTLP_<X> (no signal) or OTEL_EXPORTER_OTLP_<SIGNAL>_<X>. */
export function otlpVar(signal: Signal | undefined, suffix: string): string {
  return signal === undefined ? `OTEL_EXPORTER_OTLP_${suffix}` : `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${suffix}`;
}

/** Obsolete per-signal INSECURE names that the spec says SHOULD still work. */
const OBSOLETE_INSECURE: Readonly<Record<Signal, string | undefined>> = {
  traces: 'OTEL_EXPORTER_OTLP_SPAN_INSECURE',
  metrics: 'OTEL_EXPORTER_OTLP_METRIC_INSECURE',
  logs: undefined,
};

/** The variables consulted for a signal's setting, most specific first. */
export function otlpChain(signal: Signal, suffix: string): string[] {
  const names = [otlpVar(signal, suffix)];
  if (suffix === 'INSECURE') {
    const obsolete = OBSOLETE_INSECURE[signal];
    if (obsolete !== undefined) names.push(obsolete);
  }
  names.push(otlpVar(undefined, suffix));
  return names;
}

export function isHttpProtocol(protocol: OtlpProtocol): boolean {
  return protocol !== 'grpc';
}

/** http://localhost:4317 for grpc; http://localhost:4318[/v1/<signal>] for http/*. */
export function defaultOtlpEndpoint(protocol: OtlpProtocol, signal?: Signal): string {
  if (!isHttpProtocol(protocol)) return OTLP_GRPC_ENDPOINT;
  return signal === undefined ? OTLP_HTTP_ENDPOINT : `${OTLP_HTTP_ENDPOINT}/v1/${signal}`;
}

/** The generic protocol (OTEL_EXPORTER_OTLP_PROTOCOL), or with a signal, the per-signal one falling back to it. */
export function resolveOtlpProtocol(env: Env, signal?: Signal): OtlpProtocol {
  return signal === undefined ? readGeneric(env, OTLP_PROTOCOL) : readForSignal(env, signal, OTLP_PROTOCOL);
}

/** A generic OTLP setting, as the table reads it. */
function readGeneric<T>(env: Env, setting: Setting<T>): T {
  return setting.type.read(env, [setting.env], setting.default);
}

/** A generic OTLP setting's per-signal variant: the per-signal variable, then the generic one. */
function readForSignal<T>(env: Env, signal: Signal, setting: Setting<T>): T {
  return setting.type.read(env, otlpChain(signal, setting.env.slice('OTEL_EXPORTER_OTLP_'.length)), setting.default);
}

// ---------------------------------------------------------------------------------------------------------
// Endpoints

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** `word:` not followed by a port number: a scheme without `//` (e.g. `unix:/x`), not `host:port`. */
const SCHEME_WITHOUT_SLASHES = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

/**
 * The parsed endpoint, or what was expected (for the warning). A scheme-less `host:port` (grpc only) is parsed
 * with `schemelessScheme`, so that a default port is elided consistently with the scheme finally used.
 */
function parseEndpoint(raw: string, grpc: boolean, schemelessScheme: 'http' | 'https'): URL | string {
  const expected = grpc ? 'expected host:port or an http:// or https:// URL' : 'expected an http:// or https:// URL';
  const schemeless = !HAS_SCHEME.test(raw);
  if (schemeless && (!grpc || SCHEME_WITHOUT_SLASHES.test(raw))) return expected;
  let url: URL;
  try {
    url = new URL(schemeless ? `${schemelessScheme}://${raw}` : raw);
  } catch {
    return expected;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return expected;
  return url;
}

/** OTEL_EXPORTER_OTLP_<SIGNAL>_INSECURE, the obsolete SPAN/METRIC names, then the generic one: first set wins. */
function readInsecure(env: Env, signal: Signal): boolean {
  for (const name of otlpChain(signal, 'INSECURE')) {
    const value = readBoolOrUndefined(env, name);
    if (value !== undefined) return value;
  }
  return false;
}

export interface ResolvedEndpoint {
  readonly url: string;
  /** Plaintext: the scheme is http (for grpc, also a scheme-less endpoint with *_INSECURE=true). */
  readonly insecure: boolean;
}

/** Resolves one signal's endpoint (and, for grpc, whether the connection is plaintext). */
export function resolveOtlpEndpoint(env: Env, signal: Signal, protocol: OtlpProtocol): ResolvedEndpoint {
  const grpc = !isHttpProtocol(protocol);
  const perSignalName = otlpVar(signal, 'ENDPOINT');
  const genericName = otlpVar(undefined, 'ENDPOINT');
  const invalid: Array<[string, string, string]> = [];
  let result: ResolvedEndpoint | undefined;

  for (const name of [perSignalName, genericName]) {
    const raw = readRaw(env, name);
    if (raw === undefined) continue;
    // INSECURE only applies to a scheme-less grpc endpoint (spec: "only applies to OTLP/gRPC when an
    // endpoint is provided without the http or https scheme").
    const insecureIfSchemeless = grpc && !HAS_SCHEME.test(raw) ? readInsecure(env, signal) : false;
    const parsed = parseEndpoint(raw, grpc, insecureIfSchemeless ? 'http' : 'https');
    if (typeof parsed === 'string') {
      invalid.push([name, raw, parsed]);
      continue;
    }
    markAccepted(env, name);
    const insecure = parsed.protocol === 'http:';
    result = grpc
      ? { url: grpcOrigin(name, raw, parsed), insecure }
      : { url: httpUrl(parsed, name === perSignalName ? undefined : signal), insecure };
    break;
  }
  result ??= { url: defaultOtlpEndpoint(protocol, signal), insecure: true };
  for (const [name, raw, expected] of invalid) {
    warnInvalid(name, redactUrlSecrets(raw), expected, redactUrlSecrets(result.url));
    markRejected(env, name, redactUrlSecrets(raw), expected);
  }
  return result;
}

/** Per-signal (no `appendSignal`): as is; generic: base + `/v1/<signal>`. */
function httpUrl(url: URL, appendSignal: Signal | undefined): string {
  if (appendSignal !== undefined) {
    const copy = new URL(url.href);
    copy.pathname = `${copy.pathname.replace(/\/+$/, '')}/v1/${appendSignal}`;
    return copy.href;
  }
  // WHATWG URL serialisation gives a path-less URL the root path "/", exactly as the spec asks.
  return url.href;
}

/** grpc wants an origin: the service path is the transport's business, so a path here is ignored (warned). */
function grpcOrigin(name: string, raw: string, url: URL): string {
  const origin = url.origin;
  if (url.pathname !== '/' && url.pathname !== '') {
    warnConfig(
      `config:${name}=${raw}:path`,
      `${name}: the path ${JSON.stringify(redactUrlSecrets(url.pathname))} is ignored for the grpc protocol; using ${origin}`,
    );
  }
  return origin;
}

// ---------------------------------------------------------------------------------------------------------
// Headers

/** Generic headers merged with the per-signal ones; the per-signal value wins for a key. Names lower-cased. */
export function resolveOtlpHeaders(env: Env, signal: Signal | undefined): Record<string, string> {
  const read = (name: string): Readonly<Record<string, string>> => OTLP_HEADERS.type.read(env, [name], OTLP_HEADERS.default);
  const generic = read(otlpVar(undefined, 'HEADERS'));
  if (signal === undefined) return { ...generic };
  return { ...generic, ...read(otlpVar(signal, 'HEADERS')) };
}

// ---------------------------------------------------------------------------------------------------------
// Everything for one signal

export function resolveOtlpSignal(env: Env, signal: Signal): OtlpSignalConfig {
  const protocol = resolveOtlpProtocol(env, signal);
  const endpoint = resolveOtlpEndpoint(env, signal, protocol);
  const proxy = proxyForEndpoint(env, endpoint.url).url;
  return {
    protocol,
    url: endpoint.url,
    headers: resolveOtlpHeaders(env, signal),
    compression: readForSignal(env, signal, OTLP_COMPRESSION),
    timeoutMs: readForSignal(env, signal, OTLP_TIMEOUT),
    insecure: endpoint.insecure,
    certificateFile: readForSignal(env, signal, OTLP_CERTIFICATE),
    clientKeyFile: readForSignal(env, signal, OTLP_CLIENT_KEY),
    clientCertificateFile: readForSignal(env, signal, OTLP_CLIENT_CERTIFICATE),
    ...(proxy === undefined ? {} : { proxy }),
  };
}

export function resolveOtlp(env: Env): Record<Signal, OtlpSignalConfig> {
  return {
    traces: resolveOtlpSignal(env, 'traces'),
    metrics: resolveOtlpSignal(env, 'metrics'),
    logs: resolveOtlpSignal(env, 'logs'),
  };
}
