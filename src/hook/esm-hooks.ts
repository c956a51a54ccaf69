// The import side of the module hooks: one import-in-the-middle Hook over the same module
// names as the require hook, feeding the same ModuleHooks, so CommonJS and ESM copies of a
// module are each patched exactly once by the same code.

import { Hook } from 'import-in-the-middle';
import { diag } from '../diag/log.js';
import type { ModuleHooks } from './module-hooks.js';

export function installEsmHooks(hooks: ModuleHooks, how: string): void {
  new Hook(hooks.moduleNames(), { internals: true }, (namespace, name, basedir, format) => {
    const dir = basedir ?? undefined;
    // For a builtin or CommonJS module, `default` is the very exports object require() returns:
    // patch it as the require hook would (once, shared with require), then the named bindings.
    const exports: unknown = namespace.default;
    const isCommonJs = dir === undefined || format === 'commonjs';
    if (isCommonJs && exports !== namespace && exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
      hooks.onLoad(exports, name, dir);
    }
    return hooks.onLoad(namespace, name, dir);
  });
  diag.debug(`ESM hooks installed with ${how}`);
}

/**
 * The loader's include list: the module names, and for each internal file of a package
 * ('postgres/src/query.js') a pattern on its resolved URL, because a package imports its own files
 * by relative specifiers ('./query.js'), which the list's names never match.
 */
export function esmIncludeList(names: readonly string[]): Array<string | RegExp> {
  const include: Array<string | RegExp> = [...names];
  for (const name of names) {
    const packageLength = name.startsWith('@') ? 2 : 1;
    if (name.split('/').length > packageLength) include.push(new RegExp(`/node_modules/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  }
  return include;
}

export function reportEsmHookFailure(error: unknown): void {
  diag.warn(`could not install the ESM loader hook; imported modules will not be instrumented: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Installs the import hooks from the CommonJS preload, so the launcher needs no `--import` (which
 * makes Node run even a CommonJS entry point through its ESM loader: slower startup and other
 * stack frames in the app's crash reports). In-thread `module.registerHooks` where
 * import-in-the-middle supports it (loaded with require(esm)), else `module.register`, whose
 * include list travels with the registration, so nothing has to be awaited. Called once per
 * process, by register.ts (which both preloads run only once).
 */
export function installEsmHooksFromPreload(hooks: ModuleHooks): void {
  const include = esmIncludeList(hooks.moduleNames());
  try {
    if (process.features.require_module === true) {
      const { supportsSyncHooks } = require('import-in-the-middle/supports-sync-hooks.mjs') as { supportsSyncHooks(): boolean };
      if (supportsSyncHooks()) {
        (require('import-in-the-middle/register-hooks.mjs') as { register(options: { include: Array<string | RegExp> }): void }).register({ include });
        keepBuiltinsBuiltinForEntries();
        installEsmHooks(hooks, 'module.registerHooks');
        return;
      }
    }
    const { register } = require('node:module') as typeof import('node:module');
    const { pathToFileURL } = require('node:url') as typeof import('node:url');
    const { createAddHookMessageChannel } = require('import-in-the-middle') as typeof import('import-in-the-middle');
    const { registerOptions } = createAddHookMessageChannel();
    register('import-in-the-middle/hook.mjs', pathToFileURL(__filename), { ...registerOptions, data: { ...registerOptions.data, include } });
    installEsmHooks(hooks, 'module.register');
  } catch (error) {
    reportEsmHookFailure(error);
  }
}

/**
 * import-in-the-middle 3.6 resolves a module asked for with no parent (an entry point) to format
 * 'commonjs' when its resolver gave none; Node's `-e`/`-p` code asks for builtins that way
 * (`require('module')` inside Node's eval), and Node then reads the builtin's name as a file:
 * ENOENT 'module' before the app's first line. Registered after import-in-the-middle's hooks, so it
 * sees their answer first: a `node:` URL is a builtin whatever format it came back with.
 */
function keepBuiltinsBuiltinForEntries(): void {
  const { registerHooks } = require('node:module') as { registerHooks(hooks: object): unknown };
  registerHooks({
    resolve(specifier: string, context: { parentURL?: string }, nextResolve: (s: string, c: object) => { url: string; format?: string | null }) {
      const result = nextResolve(specifier, context);
      if (!context.parentURL && result.url.startsWith('node:') && result.format !== 'builtin') return { ...result, format: 'builtin' };
      return result;
    },
  });
}
