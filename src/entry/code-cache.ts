// Runs one of our bundled entries (scripts/bundle-entries.mjs) with V8's code cache. Compiling the
// preload's bundle, and then the functions a start runs, was the largest single part of what we added
// to an app's start; read from the cache, they take a few ms. The first start writes the cache, the
// later ones read it.
// Node's own compile cache (module.enableCompileCache, Node 22.1+) is process-wide: it would cache the
// app's modules too, which is not ours to turn on. This one covers our own files, on every Node we run on.
// NODE_DISABLE_COMPILE_CACHE, Node's switch for its cache, turns ours off as well.

import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs `file`, a CommonJS bundle that sits beside the entry calling this, as that entry's own body: it
 * gets the entry's `module` and `require` (which resolve from the same folder) and its own file names.
 * Any failure to read or write the cache is silent: without it the file is compiled as Node would.
 */
export function runBundle(file: string, entry: NodeJS.Module, entryRequire: NodeJS.Require): void {
  if (!inMainRealm()) {
    // Loaded by a module system of its own in a vm context (a test runner's sandbox): a Script would run
    // in Node's main realm instead, so that module system loads the bundle as Node would have.
    entry.exports = entryRequire(file);
    return;
  }
  const source = readFileSync(file, 'latin1'); // ASCII: the build escapes the rest (scripts/bundle-entries.mjs)
  const crc32 = crc32Function();
  const cacheFile = crc32 === undefined ? undefined : cachePath(file);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, crc32!);
  const script = new Script(`${WRAPPER}${source}\n});`, { filename: file, cachedData });
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body.call(entry.exports, entry.exports, entryRequire, entry, file, dirname(file));
  const worthWriting = (entry.exports as { writesCodeCache?: boolean }).writesCodeCache !== false;
  if (cacheFile !== undefined && worthWriting && (cachedData === undefined || script.cachedDataRejected === true) && isMainThread()) {
    // After the current turn, so the functions the start ran (hooks, SDK setup, the app's first
    // requires) are compiled and go in the cache too. The main thread's: the preload also runs in
    // Node's module-hooks thread and in workers, which run less of it; and not a dormant preload's
    // (a package manager's, register.ts), whose cache the app would then take as its own.
    setImmediate(writeCache, script, cacheFile, cacheName(file), crc32!);
  }
}

function inMainRealm(): boolean {
  return new Script('globalThis').runInThisContext() === globalThis;
}

type Crc32 = (data: Uint8Array) => number;

/**
 * V8 checks a cache's header, not its bytes: a cache damaged on disk (a crash after the rename, before
 * the data reached the disk) would crash every start until deleted. Each file carries the CRC-32 of its
 * data, checked before V8 sees it. zlib.crc32 is in Node 20.15 and later; before, no cache.
 */
function crc32Function(): Crc32 | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  const { crc32 } = require('node:zlib') as { crc32?: Crc32 };
  return typeof crc32 === 'function' ? crc32 : undefined;
}

/**
 * The cache's data when the file is this user's, not writable by others, and its CRC-32 (the first 4
 * bytes) matches; read through the fd that was checked, so a file swapped in after the check is not read.
 */
function readCache(cacheFile: string, crc32: Crc32): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(cacheFile, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    const file = readFileSync(fd);
    if (file.length <= 4) return undefined;
    const data = file.subarray(4);
    return crc32(data) === file.readUInt32LE(0) ? data : undefined;
  } catch {
    return undefined; // none yet: this start writes it
  } finally {
    if (fd !== undefined) closeSync(fd);
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
  const key = `${file}\0${optionsOnly(process.execArgv).join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`;
  let hash = 0x811c9dc5; // FNV-1a, 32 bits: node:crypto would cost more to load than this saves
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return `${basename(file)}-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/** Node's options without `-e`/`-p` and their code: each snippet would have a cache of its own. */
function optionsOnly(execArgv: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (/^--(eval|print)=/.test(arg)) continue;
    if (/^-[a-z]*[ep]$|^--(eval|print)$/.test(arg)) i++; // -e, -p, -pe: the code follows
    else options.push(arg);
  }
  return options;
}

/** Where `file`'s cache lives: named by its path, Node's options, its size, times and inode, and the Node that compiled it, in a folder only this user can write. */
function cachePath(file: string): string | undefined {
  try {
    const dir = ownFolder();
    if (dir === undefined) return undefined;
    // ctime and inode too: a build that sets every file's time (SOURCE_DATE_EPOCH) may keep size and mtime.
    const { size, mtimeMs, ctimeMs, ino } = statSync(file);
    const version = `${size}-${Math.trunc(mtimeMs)}-${Math.trunc(ctimeMs)}-${ino}`;
    return join(dir, `${cacheName(file)}-${version}-${process.version}-${process.arch}.v8`);
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
  const byAge = names.map((name) => ({ name, at: modifiedAt(join(dir, name)) })).sort((a, b) => a.at - b.at);
  for (const { name } of byAge.slice(0, count)) removeQuietly(join(dir, name));
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
}

/** Another process may be removing the same file. */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** Writes the cache whole or not at all (processes starting together each write their own, then rename), and drops older ones of the same file and Node. */
function writeCache(script: Script, cacheFile: string, name: string, crc32: Crc32): void {
  try {
    const data = script.createCachedData();
    const check = Buffer.allocUnsafe(4);
    check.writeUInt32LE(crc32(data) >>> 0, 0);
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeAll(fd, check);
        writeAll(fd, data);
        fsyncSync(fd); // on the disk before the rename makes it the cache
      } finally {
        closeSync(fd);
      }
      renameSync(temp, cacheFile);
    } catch (error) {
      removeQuietly(temp); // a full disk keeps nothing of ours
      throw error;
    }
    const dir = dirname(cacheFile);
    const written = basename(cacheFile);
    const sameNode = `-${process.version}-${process.arch}.v8`;
    const kept: string[] = [];
    for (const other of readdirSync(dir)) {
      if (other === written || !other.startsWith(`${name}-`)) {
        if (other.endsWith('.v8')) kept.push(other);
      } else if (other.endsWith(sameNode) || other.endsWith('.tmp')) {
        // An older build's, or what a process ended while writing left (one writing now then skips its rename).
        removeQuietly(join(dir, other));
      } else if (other.endsWith('.v8')) kept.push(other);
    }
    if (kept.length > MAX_CACHES) dropOldest(dir, kept, kept.length - MAX_CACHES);
  } catch {
    // A read-only or full disk: the next start compiles again.
  }
}
