// Whether the app's entry point can load modules through `import` at all: decided before
// import-in-the-middle is loaded, so a CommonJS app never pays for it.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

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
