// service.name and service.version from the app's own package.json, when nothing configured them: the
// nearest package.json with a name above the entry script (above the working directory when the entry
// script is a tool inside node_modules, as `next start` or `npx tsx app.ts` run), never ours. Only
// local files are read, once, at startup.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../package-info.js';

export interface AppPackage {
  readonly name: string;
  readonly version: string | undefined;
}

const NODE_MODULES = `${sep}node_modules${sep}`;

function readPackage(dir: string): AppPackage | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    if (typeof json.name !== 'string' || json.name === '') return undefined;
    return { name: json.name, version: typeof json.version === 'string' && json.version !== '' ? json.version : undefined };
  } catch {
    return undefined;
  }
}

/** The app's package, or undefined when there is none (a lone script) or it is ours (our own fixtures). */
export function findAppPackage(entry: string | undefined = process.argv[1], cwd: string = process.cwd()): AppPackage | undefined {
  const script = entry === undefined || entry === '' ? undefined : resolve(cwd, entry);
  let dir = script === undefined || script.includes(NODE_MODULES) ? cwd : dirname(script);
  const ours = resolve(PACKAGE_ROOT);
  for (;;) {
    if (resolve(dir) === ours) return undefined;
    const found = readPackage(dir);
    if (found !== undefined) return found;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
