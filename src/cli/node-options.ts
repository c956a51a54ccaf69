// NODE_OPTIONS for the child: our preloads first, then whatever the user had, untouched.
// Node splits NODE_OPTIONS on spaces; double quotes group, and inside them a backslash escapes the next
// character (src/node_options.cc, ParseNodeOptionsEnvVar). Outside quotes a backslash is literal.

import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root, from the compiled file: dist/src/cli/ -> ../../.. */
export const PACKAGE_ROOT = resolve(__dirname, '..', '..', '..');

export interface Preloads {
  /** Absolute path for `--require`. */
  readonly require: string;
  /** `file:` URL for `--import`; undefined when this Node cannot use it. */
  readonly import: string | undefined;
}

/**
 * `--import` with `module.register` support: Node >= 20.6, or 18.19+ on the 18 line. (Node 19 and 20.0-20.5 have
 * `--import` but not `module.register`, which register.mjs needs.)
 */
export function supportsImportPreload(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major > 20) return true;
  if (major === 20) return minor >= 6;
  if (major === 18) return minor >= 19;
  return false;
}

export function preloadPaths(root: string = PACKAGE_ROOT, nodeVersion: string = process.versions.node): Preloads {
  const dir = join(root, 'dist', 'src', 'bootstrap');
  return {
    require: join(dir, 'register.js'),
    // A file URL: works on every platform and needs no quoting (spaces become %20).
    import: supportsImportPreload(nodeVersion) ? pathToFileURL(join(dir, 'register.mjs')).href : undefined,
  };
}

/** Quotes one argument for NODE_OPTIONS when it has whitespace or a double quote. */
export function quoteNodeOption(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Splits NODE_OPTIONS as Node does; undefined when Node would reject it (e.g. an unterminated quote). */
export function splitNodeOptions(value: string): string[] | undefined {
  const args: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    let c = value[i];
    if (c === '\\' && quoted) {
      if (i + 1 === value.length) return undefined;
      c = value[++i];
    } else if (c === ' ' && !quoted) {
      if (current !== undefined) args.push(current);
      current = undefined;
      continue;
    } else if (c === '"') {
      quoted = !quoted;
      current ??= '';
      continue;
    }
    current = (current ?? '') + c;
  }
  if (quoted) return undefined;
  if (current !== undefined) args.push(current);
  return args;
}

function sameFile(a: string, ours: string): boolean {
  try {
    return resolve(a.startsWith('file:') ? fileURLToPath(a) : a) === ours;
  } catch {
    return false;
  }
}

/** Whether `args` already has `--require`/`-r` (or `--import`, for `flag === 'import'`) of `target`. */
function hasPreload(args: readonly string[], flag: 'require' | 'import', target: string): boolean {
  const names = flag === 'require' ? ['--require', '-r'] : ['--import'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (names.includes(arg) && i + 1 < args.length && sameFile(args[i + 1], target)) return true;
    const eq = arg.indexOf('=');
    if (eq !== -1 && names.includes(arg.slice(0, eq)) && sameFile(arg.slice(eq + 1), target)) return true;
  }
  return false;
}

/**
 * `--require <ours> [--import <ours>] <existing>`: ours first, the user's options kept verbatim; nothing added
 * that is already there.
 */
export function withPreloads(existing: string | undefined, preloads: Preloads = preloadPaths()): string {
  const user = (existing ?? '').trim();
  const args = splitNodeOptions(user) ?? [];
  const ours: string[] = [];
  if (!hasPreload(args, 'require', preloads.require)) ours.push('--require', quoteNodeOption(preloads.require));
  if (preloads.import !== undefined && !hasPreload(args, 'import', fileURLToPath(preloads.import))) {
    ours.push('--import', quoteNodeOption(preloads.import));
  }
  return [...ours, user].filter((part) => part !== '').join(' ');
}
