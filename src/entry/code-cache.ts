// Runs one of our bundled entries (scripts/bundle-entries.mjs) with V8's code cache. Compiling the
// preload's bundle, and then the functions a start runs, was the largest single part of what we added
// to an app's start; read from the cache, they take a few ms. The first start writes the cache, the
// later ones read it.
// Node's own compile cache (module.enableCompileCache, Node 22.1+) is process-wide: it would cache the
// app's modules too, which is not ours to turn on. This one covers our own files, on every Node we run on.
// NODE_DISABLE_COMPILE_CACHE, Node's switch for its cache, turns ours off as well.

import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs `file`, a CommonJS bundle that sits beside the entry calling this, as that entry's own body: it
 * gets the entry's `module` and `require` (which resolve from the same folder) and its own file names.
 * Any failure to read or write the cache is silent: without it the file is compiled as Node would.
 */
export function runBundle(file: string, entry: NodeJS.Module, entryRequire: NodeJS.Require): void {
  const source = readFileSync(file, 'latin1'); // ASCII: the build escapes the rest (scripts/bundle-entries.mjs)
  const cacheFile = cachePath(file);
  let cachedData: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // None yet: this start writes it.
    }
  }
  const script = new Script(`${WRAPPER}${source}\n});`, { filename: file, cachedData });
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body.call(entry.exports, entry.exports, entryRequire, entry, file, dirname(file));
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true) && isMainThread()) {
    // After the current turn, so the functions the start ran (hooks, SDK setup, the app's first
    // requires) are compiled and go in the cache too. The main thread's: the preload also runs in
    // Node's module-hooks thread and in workers, which run less of it.
    setImmediate(writeCache, script, cacheFile, cacheName(file));
  }
}

/** Node's CommonJS wrapper (Module.wrap, without loading node:module and the ESM loader it brings on Node 20). */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) { ';

/** Asked only when a cache is to be written: node:worker_threads is not otherwise loaded by every entry. */
function isMainThread(): boolean {
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

/**
 * The part of a cache's name that stays while `file` is rebuilt or reinstalled in place: its name and a
 * hash of its path and of the options Node runs with. Two installs on one machine keep a cache each, and
 * so do processes with other V8 flags (`--max-old-space-size`, in NODE_OPTIONS or on the command line):
 * V8 rejects a cache made under other flags, and `otel-instrument npm start` with the flag on `node`
 * alone would otherwise rewrite it twice at every start (npm's process, then the app's).
 */
function cacheName(file: string): string {
  const key = `${file}\0${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`;
  let hash = 0x811c9dc5; // FNV-1a, 32 bits: node:crypto would cost more to load than this saves
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return `${basename(file)}-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/** Where `file`'s cache lives: named by its path, Node's options, its size and time, and the Node that compiled it, in a folder only this user can write. */
function cachePath(file: string): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  try {
    const dir = ownFolder();
    if (dir === undefined) return undefined;
    const { size, mtimeMs } = statSync(file);
    return join(dir, `${cacheName(file)}-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}.v8`);
  } catch {
    return undefined;
  }
}

/**
 * The cache folder, created private. A code cache is code: one that another user could write would run
 * as this one, so a folder not owned by this user, a symlink, or one others can write is not used.
 */
function ownFolder(): string | undefined {
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `otel-instrument-code-cache-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const st = lstatSync(dir);
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
  return dir;
}

/** Caches kept in the folder (about 0.5 MB each): each install, Node version and set of Node options has its own. */
const MAX_CACHES = 32;

/** Removes the `count` least recently written of `names` (files in `dir`). */
function dropOldest(dir: string, names: string[], count: number): void {
  const byAge = names.map((name) => ({ name, at: statSync(join(dir, name)).mtimeMs })).sort((a, b) => a.at - b.at);
  for (const { name } of byAge.slice(0, count)) unlinkSync(join(dir, name));
}

/** Writes the cache whole or not at all (processes starting together each write their own, then rename), and drops older ones of the same file and Node. */
function writeCache(script: Script, cacheFile: string, name: string): void {
  try {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, cacheFile);
    const dir = dirname(cacheFile);
    const written = basename(cacheFile);
    const sameNode = `-${process.version}-${process.arch}.v8`;
    const kept: string[] = [];
    for (const other of readdirSync(dir)) {
      if (other === written || !other.startsWith(`${name}-`)) {
        if (other.endsWith('.v8')) kept.push(other);
      } else if (other.endsWith(sameNode) || other.endsWith('.tmp')) {
        // An older build's, or what a process ended while writing left (one writing now then skips its rename).
        unlinkSync(join(dir, other));
      } else if (other.endsWith('.v8')) kept.push(other);
    }
    if (kept.length > MAX_CACHES) dropOldest(dir, kept, kept.length - MAX_CACHES);
  } catch {
    // A read-only or full disk: the next start compiles again.
  }
}
