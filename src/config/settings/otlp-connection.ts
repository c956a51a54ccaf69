// Settings: how OTLP reaches the collector (group "otlp"). Each one is also read per signal
// (OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, ...), which wins over the generic one (protocol/exporter.md);
// the table derives those entries (settings-table.ts) and src/config/otlp-endpoint.ts resolves them.

import { defineSetting } from '../setting.js';
import { bool, keyValues, milliseconds, oneOf, text, url } from '../setting-types.js';
import { OTLP_GRPC_ENDPOINT, OTLP_HTTP_ENDPOINT, OTLP_TIMEOUT_MS } from '../spec-defaults.js';
import type { OtlpProtocol } from '../types.js';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
// What node:http accepts in a header value: HTAB, visible ASCII and space, obs-text.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function validateHeader(key: string, value: string): string | undefined {
  if (!HEADER_NAME.test(key)) return 'has a key that is not a valid header name';
  if (!HEADER_VALUE.test(value)) return 'has a value with characters not allowed in a header';
  return undefined;
}

export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

export const OTLP_PROTOCOL = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  group: 'otlp',
  // grpc, as Python's opentelemetry-instrument (DESIGN.md §1); the spec's SDK default is http/protobuf.
  help: 'OTLP protocol',
  type: oneOf(OTLP_PROTOCOLS),
  default: 'grpc' as OtlpProtocol,
  perSignal: true,
});

export const OTLP_ENDPOINT = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  group: 'otlp',
  help: 'OTLP endpoint (for http, /v1/<signal> is appended; a per-signal endpoint is used as is)',
  type: url,
  default: OTLP_GRPC_ENDPOINT,
  defaultText: `${OTLP_GRPC_ENDPOINT} (grpc), ${OTLP_HTTP_ENDPOINT} (http)`,
  perSignal: true,
});

export const OTLP_HEADERS = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_HEADERS',
  group: 'otlp',
  help: 'OTLP headers, k1=v1,k2=v2 (percent-encoded; a per-signal list adds to the generic one)',
  type: keyValues({ onError: 'skip', validate: validateHeader, lowerCaseKeys: true }, true),
  default: {},
  secret: true,
  perSignal: true,
});

export const OTLP_COMPRESSION = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_COMPRESSION',
  group: 'otlp',
  help: 'OTLP compression',
  type: oneOf(['gzip', 'none'] as const),
  default: 'none' as 'gzip' | 'none',
  perSignal: true,
});

export const OTLP_TIMEOUT = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  group: 'otlp',
  help: 'OTLP export timeout in ms (0: no limit)',
  type: milliseconds(),
  default: OTLP_TIMEOUT_MS,
  perSignal: true,
});

export const OTLP_INSECURE = defineSetting({
  env: 'OTEL_EXPORTER_OTLP_INSECURE',
  group: 'otlp',
  help: 'grpc without TLS for a scheme-less host:port endpoint',
  type: bool,
  default: false,
  perSignal: true,
});

const pemFile = (env: string, help: string) =>
  defineSetting({ env, group: 'otlp', help, type: text, default: undefined, perSignal: true });

export const OTLP_CERTIFICATE = pemFile('OTEL_EXPORTER_OTLP_CERTIFICATE', 'PEM file of trusted CA certificates');
export const OTLP_CLIENT_KEY = pemFile('OTEL_EXPORTER_OTLP_CLIENT_KEY', 'PEM file of the client private key (mTLS)');
export const OTLP_CLIENT_CERTIFICATE = pemFile('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', 'PEM file of the client certificate (mTLS)');

/** Our own default, not the spec's: well within a stop grace period, enough for a reachable collector. */
export const EXIT_EXPORT_TIMEOUT_MS = 2000;

/**
 * After the app has ended, how long what it had not sent yet may still take (the launcher sends it; without
 * the launcher, the app's own sender process at exit). Not an OTEL_EXPORTER_* timeout: it bounds the end of
 * the process (group), so a stop grace period (Docker's 10 s, systemd's TimeoutStopSec) is never used up by us.
 */
export const EXIT_EXPORT_TIMEOUT = defineSetting({
  env: 'OTEL_NODE_EXIT_EXPORT_TIMEOUT',
  group: 'otlp',
  help: "after the app ends, how long sending what it left may take, in ms (0: each export's own timeout)",
  type: milliseconds(),
  default: EXIT_EXPORT_TIMEOUT_MS,
});

/**
 * Under the launcher, the app hands each encoded batch to the launcher as it is made, and the launcher
 * sends it with the retries, backoff, queue and outage reports the app would use (src/exit/launcher-export.ts):
 * what was handed over survives the app's SIGKILL, and the network work leaves the app's event loop.
 * Off by default for now: the app spends less CPU per batch (bench/micro/launcher-handoff.mjs), but the
 * launcher's memory grows by the OTLP stack, and two behaviours change (README, "The launcher as exporter").
 */
export const EXPORT_VIA_LAUNCHER = defineSetting({
  env: 'OTEL_NODE_EXPORT_VIA_LAUNCHER',
  group: 'otlp',
  help: 'under the launcher, hand each batch to the launcher to send (survives the app being killed)',
  type: bool,
  default: false,
});

export const OTLP_SETTINGS = [
  OTLP_PROTOCOL,
  OTLP_ENDPOINT,
  OTLP_HEADERS,
  OTLP_COMPRESSION,
  OTLP_TIMEOUT,
  OTLP_INSECURE,
  OTLP_CERTIFICATE,
  OTLP_CLIENT_KEY,
  OTLP_CLIENT_CERTIFICATE,
  EXIT_EXPORT_TIMEOUT,
  EXPORT_VIA_LAUNCHER,
];
