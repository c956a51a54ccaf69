// NODE_OPTIONS for the child: our preloads first, then whatever the user had, untouched.
// Node splits NODE_OPTIONS on spaces; double quotes group, and inside them a backslash escapes the next
// character (src/node_options.cc, ParseNodeOptionsEnvVar). Outside quotes a backslash is literal.

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../package-info.js';

/** The package root, from the compiled file: dist/src/cli/ -> ../../.. */

/**
 * The one preload the launcher adds: the CommonJS register, which also installs the import hooks
 * (src/hook/esm-hooks.ts). No `--import`: with one, Node runs even a CommonJS entry point through
 * its ESM loader, which cost ~35 ms at startup and changed the frames of the app's stack traces.
 */
export function preloadPath(root: string = PACKAGE_ROOT): string {
  return join(root, 'dist', 'src', 'bootstrap', 'register.js');
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

/** Whether `args` already has `--require`/`-r` of `target`. */
function hasPreload(args: readonly string[], target: string): boolean {
  const names = ['--require', '-r'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (names.includes(arg) && i + 1 < args.length && sameFile(args[i + 1], target)) return true;
    const eq = arg.indexOf('=');
    if (eq !== -1 && names.includes(arg.slice(0, eq)) && sameFile(arg.slice(eq + 1), target)) return true;
  }
  return false;
}

/** `--require <ours> <existing>`: ours first, the user's options kept verbatim; not added twice. */
export function withPreloads(existing: string | undefined, preload: string = preloadPath()): string {
  const user = (existing ?? '').trim();
  const args = splitNodeOptions(user) ?? [];
  const ours = hasPreload(args, preload) ? [] : ['--require', quoteNodeOption(preload)];
  return [...ours, user].filter((part) => part !== '').join(' ');
}
