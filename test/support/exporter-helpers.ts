// Helpers shared by the OTLP exporter tests.

import type { OtlpSignalConfig } from '../../src/config/types.js';
import { diag } from '../../src/diag/log.js';
import type { ExportResult, Exporter } from '../../src/core/export-result.js';
import type { ReadableSpan } from '../../src/trace/span-data.js';
import { makeTestSpan, startGrpcReceiver, startHttpReceiver, type GrpcReceiver, type HttpReceiver } from './otlp-receiver.js';

/** Backoff short enough for tests; the schedule's shape stays the spec's. */
export const FAST_BACKOFF = { initialMs: 10, maxMs: 50 };

/** A resolved per-signal OTLP config with test defaults. */
export function otlpConfig(
  protocol: OtlpSignalConfig['protocol'],
  url: string,
  overrides: Partial<OtlpSignalConfig> = {},
): OtlpSignalConfig {
  return {
    protocol,
    url,
    headers: {},
    compression: 'none',
    timeoutMs: 5000,
    insecure: protocol === 'grpc',
    certificateFile: undefined,
    clientKeyFile: undefined,
    clientCertificateFile: undefined,
    ...overrides,
  };
}

export function exportOnce(exporter: Exporter<ReadableSpan>, spans: ReadableSpan[] = [makeTestSpan()]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Retry timers are unref'd by design; tests without a live peer hold the event loop open themselves. */
export async function holdingLoop<T>(fn: () => Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, 60_000);
  try {
    return await fn();
  } finally {
    clearInterval(hold);
  }
}

/** Captures diag.warn / diag.debug output for the duration of fn. */
export async function withDiag<T>(fn: (log: { warn: string[]; info: string[]; debug: string[] }) => Promise<T>): Promise<T> {
  const log = { warn: [] as string[], info: [] as string[], debug: [] as string[] };
  const { warn, info, debug } = diag;
  diag.warn = (m: string) => void log.warn.push(m);
  diag.info = (m: string) => void log.info.push(m);
  diag.debug = (m: string) => void log.debug.push(m);
  try {
    return await fn(log);
  } finally {
    diag.warn = warn;
    diag.info = info;
    diag.debug = debug;
  }
}

/** Runs `fn` with a fresh receiver, closed after it whatever happens. */
async function withStarted<R extends { close(): Promise<void> }>(start: () => Promise<R>, fn: (receiver: R) => Promise<void>): Promise<void> {
  const receiver = await start();
  try {
    await fn(receiver);
  } finally {
    await receiver.close();
  }
}

export function withHttpReceiver(fn: (receiver: HttpReceiver) => Promise<void>): Promise<void> {
  return withStarted(() => startHttpReceiver(), fn);
}

export function withGrpcReceiver(fn: (receiver: GrpcReceiver) => Promise<void>): Promise<void> {
  return withStarted(() => startGrpcReceiver(), fn);
}
