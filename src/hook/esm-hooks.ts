// The import side of the module hooks: one import-in-the-middle Hook over the same module
// names as the require hook, feeding the same ModuleHooks, so CommonJS and ESM copies of a
// module are each patched exactly once by the same code.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Hook } from 'import-in-the-middle';
import { diag } from '../diag/log.js';
import type { ModuleHooks } from './module-hooks.js';

/** The package.json "type" that governs a .js file, found by walking up from it. */
function packageType(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether the app may load modules through `import`. A CommonJS entry point does not need the
 * ESM loader (which costs a loader thread on Node 20), so we skip it there.
 */
export function esmHooksNeeded(mainScript: string | undefined = process.argv[1]): boolean {
  if (mainScript === undefined) return true;
  const extension = extname(mainScript);
  if (extension === '.cjs' || extension === '.cts') return false;
  if (extension === '.js') return packageType(mainScript) === 'module';
  return true;
}

export function installEsmHooks(hooks: ModuleHooks, how: string): void {
  new Hook(hooks.moduleNames(), (namespace, name, basedir, format) => {
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

export function reportEsmHookFailure(error: unknown): void {
  diag.warn(`could not install the ESM loader hook; imported modules will not be instrumented: ${error instanceof Error ? error.message : String(error)}`);
}
