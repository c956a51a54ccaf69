// Registers our providers as the @opentelemetry/api globals. Every copy of the API reads them
// from one object under Symbol.for('opentelemetry.js.api.1'), stamped with the API version of
// whoever registered; we write that object ourselves rather than load an API copy for it (47
// files at startup). A reader accepts a stamp of its own minor or newer, so when the app loads a
// newer 1.x copy, every global is registered again through that copy.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Api from '@opentelemetry/api';
import type { Logger, LoggerProvider } from '@opentelemetry/api-logs';
import { diag } from '../diag/log.js';

const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');
/** The API version whose interfaces our providers implement (our dependency's). */
const IMPLEMENTED_API_VERSION = '1.9.0';

export interface ApiGlobals {
  readonly context: Api.ContextManager;
  readonly propagation: Api.TextMapPropagator;
  readonly trace?: Api.TracerProvider;
  readonly metrics?: Api.MeterProvider;
}

let registered: ApiGlobals | undefined;
let registeredVersion: number[] | undefined;

function parseVersion(version: string | undefined): number[] | undefined {
  const match = version === undefined ? null : /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function isNewer(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/** Writes the globals object as the API's registerGlobal would. Skipped if someone registered first. */
export function registerApiGlobals(globals: ApiGlobals): void {
  const store = globalThis as Record<symbol, unknown>;
  if (store[GLOBAL_KEY] !== undefined) {
    diag.debug('@opentelemetry/api globals were already registered; ours are not');
    return;
  }
  const entry: Record<string, unknown> = { version: IMPLEMENTED_API_VERSION, context: globals.context, propagation: globals.propagation };
  if (globals.trace !== undefined) entry.trace = globals.trace;
  if (globals.metrics !== undefined) entry.metrics = globals.metrics;
  store[GLOBAL_KEY] = entry;
  registered = globals;
  registeredVersion = parseVersion(IMPLEMENTED_API_VERSION);
}

/** Module-hook listener: the app loaded its own copy of @opentelemetry/api from `basedir`. */
export function onAppApiLoaded(exports: unknown, basedir: string | undefined): void {
  if (basedir === undefined || registered === undefined || registeredVersion === undefined) return;
  let version: string | undefined;
  try {
    version = (JSON.parse(readFileSync(join(basedir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return;
  }
  const parsed = parseVersion(version);
  if (parsed === undefined || parsed[0] !== 1 || !isNewer(parsed, registeredVersion)) return;
  const api = exports as typeof Api;
  if (typeof api?.trace?.setGlobalTracerProvider !== 'function') return;
  // Same major, newer minor: move every global over to the newer copy.
  delete (globalThis as Record<symbol, unknown>)[GLOBAL_KEY];
  registeredVersion = parsed;
  try {
    api.context.setGlobalContextManager(registered.context);
    api.propagation.setGlobalPropagator(registered.propagation);
    if (registered.trace !== undefined) api.trace.setGlobalTracerProvider(registered.trace);
    if (registered.metrics !== undefined) api.metrics.setGlobalMeterProvider(registered.metrics);
    diag.debug(`@opentelemetry/api globals re-registered through the app's newer copy ${version}`);
  } catch (error) {
    diag.debug(`registering the globals through @opentelemetry/api ${version} failed: ${String(error)}`);
  }
}

// @opentelemetry/api-logs keeps its global under its own symbol as a getter taking the reader's
// compatibility version (1 in every release so far): a reader of another version gets a no-op.
const LOGS_GLOBAL_KEY = Symbol.for('io.opentelemetry.js.api.logs');
const LOGS_API_COMPATIBILITY = 1;
const NOOP_LOGGER: Logger = { emit: () => undefined, enabled: () => false };
const NOOP_LOGGER_PROVIDER: LoggerProvider = { getLogger: () => NOOP_LOGGER };

/** What logs.setGlobalLoggerProvider does, without loading the package at startup. */
export function registerLogsGlobal(provider: LoggerProvider): void {
  const store = globalThis as Record<symbol, unknown>;
  if (store[LOGS_GLOBAL_KEY] !== undefined) {
    diag.debug('an @opentelemetry/api-logs global logger provider was already registered; ours is not');
    return;
  }
  store[LOGS_GLOBAL_KEY] = (version: number): LoggerProvider => (version === LOGS_API_COMPATIBILITY ? provider : NOOP_LOGGER_PROVIDER);
}
