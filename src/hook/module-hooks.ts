// ONE require-in-the-middle hook for every module any enabled instrumentation targets.
// On the first require of a target, the instrumentation's code is loaded, the module's
// version checked against the declared range, and the exports patched exactly once.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hook } from 'require-in-the-middle';
import type { Instrumentation, InstrumentationEntry, Telemetry, TelemetrySources } from './instrumentation.js';
import { scopedTelemetry } from './scoped-telemetry.js';
import { diag } from '../diag/log.js';
import { satisfies } from './version-range.js';

/** Raw listeners for modules that are not instrumentations (e.g. an app's own @opentelemetry/api). */
export type ModuleListener = (exports: unknown, basedir: string | undefined) => void;

const patchedExports = new WeakMap<object, Set<string>>();
const reportedVersions = new Set<string>();

function readPackageVersion(basedir: string | undefined): string | undefined {
  if (basedir === undefined) return process.versions.node;
  try {
    return (JSON.parse(readFileSync(join(basedir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export class ModuleHooks {
  readonly #byModule = new Map<string, InstrumentationEntry[]>();
  readonly #listeners = new Map<string, ModuleListener[]>();
  readonly #loaded = new Map<InstrumentationEntry, Instrumentation | null>();
  readonly #sources: TelemetrySources;
  /** One Telemetry per instrumentation, with its own scope, made on its first load. */
  readonly #telemetry = new Map<string, Telemetry>();
  #hook: Hook | undefined;

  constructor(entries: readonly InstrumentationEntry[], sources: TelemetrySources) {
    this.#sources = sources;
    for (const entry of entries) {
      for (const name of entry.modules) {
        const list = this.#byModule.get(name) ?? [];
        list.push(entry);
        this.#byModule.set(name, list);
      }
    }
  }

  listen(moduleName: string, listener: ModuleListener): void {
    const list = this.#listeners.get(moduleName) ?? [];
    list.push(listener);
    this.#listeners.set(moduleName, list);
  }

  /** The Telemetry of one instrumentation: its tracer, meter and logger carry its own scope. */
  telemetryFor(instrumentationName: string): Telemetry {
    let telemetry = this.#telemetry.get(instrumentationName);
    if (telemetry === undefined) {
      telemetry = scopedTelemetry(this.#sources, instrumentationName);
      this.#telemetry.set(instrumentationName, telemetry);
    }
    return telemetry;
  }

  /** Every module name some instrumentation or listener waits for. */
  moduleNames(): string[] {
    return [...new Set([...this.#byModule.keys(), ...this.#listeners.keys()])];
  }

  install(): void {
    const names = this.moduleNames();
    if (names.length === 0) return;
    this.#hook = new Hook(names, { internals: true }, (exports, name, basedir) => this.onLoad(exports, name, basedir));
  }

  uninstall(): void {
    this.#hook?.unhook();
    this.#hook = undefined;
  }

  /** Called for every load of a hooked module (require here; import in the ESM hook). */
  onLoad<T>(exports: T, name: string, basedir: string | undefined): T {
    let result: unknown = exports;
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        listener(exports, basedir);
      } catch (error) {
        diag.debug(`module listener for ${name} failed: ${String(error)}`);
      }
    }
    const entries = this.#byModule.get(name);
    if (entries === undefined) return exports;
    for (const entry of entries) result = this.#patch(entry, result, name, basedir);
    return result as T;
  }

  #patch(entry: InstrumentationEntry, exports: unknown, name: string, basedir: string | undefined): unknown {
    if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return exports;
    const instrumentation = this.#load(entry);
    if (instrumentation === null) return exports;
    const done = patchedExports.get(exports as object) ?? new Set<string>();
    if (done.has(entry.name)) return exports;
    let result = exports;
    for (const target of instrumentation.targets) {
      if (target.module !== name) continue;
      const version = readPackageVersion(basedir);
      if (!satisfies(version, target.versions)) {
        const key = `${entry.name}:${name}@${version}`;
        if (!reportedVersions.has(key)) {
          reportedVersions.add(key);
          diag.debug(`${name}@${version ?? 'unknown'} is outside ${entry.name}'s supported range ${target.versions}; left unpatched`);
        }
        continue;
      }
      try {
        result = target.patch(result, this.telemetryFor(entry.name), version) ?? result;
        diag.debug(`instrumentation ${entry.name} patched ${name}@${version ?? 'builtin'}`);
      } catch (error) {
        diag.debug(`instrumentation ${entry.name} failed to patch ${name}: ${String(error)}`);
      }
    }
    done.add(entry.name);
    patchedExports.set(exports as object, done);
    if (result !== exports && result !== null && typeof result === 'object') patchedExports.set(result, done);
    return result;
  }

  #load(entry: InstrumentationEntry): Instrumentation | null {
    let instrumentation = this.#loaded.get(entry);
    if (instrumentation !== undefined) return instrumentation;
    try {
      instrumentation = entry.load();
    } catch (error) {
      diag.debug(`instrumentation ${entry.name} could not be loaded: ${String(error)}`);
      instrumentation = null;
    }
    this.#loaded.set(entry, instrumentation);
    return instrumentation;
  }
}
