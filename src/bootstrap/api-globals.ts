// Registers our providers as the @opentelemetry/api globals, through the NEWEST 1.x copy
// in the process. The API refuses a global registered by an older minor than the reader's,
// so registering through our own copy would silently cut off an app on a newer API.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ownApi from '@opentelemetry/api';
import { diag } from '../diag/log.js';

const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

/** The part of an @opentelemetry/api copy we register through. */
export type ApiCopy = typeof ownApi;
export type Registration = (api: ApiCopy) => void;

const registrations: Registration[] = [];
let registeredVersion: number[] | undefined;

function parseVersion(version: string | undefined): number[] | undefined {
  const match = version === undefined ? null : /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function isNewer(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

function ownVersion(): string | undefined {
  try {
    const entry = require.resolve('@opentelemetry/api');
    const root = entry.slice(0, entry.lastIndexOf('node_modules') + 'node_modules/@opentelemetry/api'.length);
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function registerAll(api: ApiCopy): void {
  for (const register of registrations) {
    try {
      register(api);
    } catch (error) {
      diag.debug(`registering a global through @opentelemetry/api failed: ${String(error)}`);
    }
  }
}

/** Adds one global (tracer provider, context manager, ...) and registers it now. */
export function registerGlobal(register: Registration): void {
  registrations.push(register);
  registeredVersion ??= parseVersion(ownVersion()) ?? [1, 0, 0];
  try {
    register(ownApi);
  } catch (error) {
    diag.debug(`registering a global through @opentelemetry/api failed: ${String(error)}`);
  }
}

/** Module-hook listener: the app loaded its own copy of @opentelemetry/api from `basedir`. */
export function onAppApiLoaded(exports: unknown, basedir: string | undefined): void {
  if (basedir === undefined || registrations.length === 0) return;
  let version: string | undefined;
  try {
    version = (JSON.parse(readFileSync(join(basedir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return;
  }
  const parsed = parseVersion(version);
  if (parsed === undefined || parsed[0] !== 1 || registeredVersion === undefined) return;
  if (!isNewer(parsed, registeredVersion)) return;
  const api = exports as ApiCopy;
  if (typeof api?.trace?.setGlobalTracerProvider !== 'function') return;
  // Same major, newer minor: move every global over to the newer copy.
  delete (globalThis as Record<symbol, unknown>)[GLOBAL_KEY];
  registeredVersion = parsed;
  registerAll(api);
  diag.debug(`@opentelemetry/api globals re-registered through the app's newer copy ${version}`);
}
