import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';

// The built preload (dist/src/bootstrap/register.js) is the stub scripts/bundle-entries.mjs writes; it
// runs register.bundle.js through src/entry/code-cache.ts.
const REGISTER = join(__dirname, '..', '..', 'src', 'bootstrap', 'register.js');
const FOLDER = `otel-instrument-code-cache-${process.getuid!()}`;
const NODE_SUFFIX = `-${process.version}-${process.arch}.v8`;

function withTmp(fn: (tmp: string) => void): void {
  const tmp = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
  try {
    fn(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Starts an app under the preload with TMPDIR at `tmp`; returns what it printed. */
function start(tmp: string, env: Record<string, string> = {}, nodeOptions: string[] = []): string {
  const clean = { ...process.env };
  delete clean.NODE_DISABLE_COMPILE_CACHE;
  delete clean.NODE_OPTIONS;
  return execFileSync(process.execPath, [...nodeOptions, '--require', REGISTER, '-p', `typeof require(${JSON.stringify(REGISTER)}).bundledModulesRun.length`], {
    env: { ...clean, TMPDIR: tmp, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', ...env },
    encoding: 'utf8',
  });
}

function cacheFiles(tmp: string): string[] {
  const dir = join(tmp, FOLDER);
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('register.bundle.js-')) : [];
}

test('the first start writes the preload code cache privately; the next reads it and leaves it as it is; a garbled one is replaced', () => {
  withTmp((tmp) => {
    assert.equal(start(tmp), 'number\n');
    const [name, ...more] = cacheFiles(tmp);
    assert.ok(name?.endsWith(NODE_SUFFIX), String(name));
    assert.deepEqual(more, []);
    const file = join(tmp, FOLDER, name);
    assert.equal(statSync(join(tmp, FOLDER)).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const written = readFileSync(file);
    assert.ok(written.length > 10_000, `${written.length} bytes`);

    // V8 accepted it: a rejected cache would be written again, with a new time.
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    assert.equal(start(tmp), 'number\n');
    assert.equal(statSync(file).mtimeMs, past.getTime());

    writeFileSync(file, Buffer.alloc(written.length, 7));
    utimesSync(file, past, past);
    assert.equal(start(tmp), 'number\n');
    assert.ok(statSync(file).mtimeMs > past.getTime());
    assert.notDeepEqual(readFileSync(file).subarray(0, 64), Buffer.alloc(64, 7));

    // Damaged past V8's header (which V8 checks, not the bytes after it): V8 would crash on it at every
    // start; its checksum keeps it from V8, and the start writes it again.
    const damaged = readFileSync(file);
    damaged.fill(0, 200);
    writeFileSync(file, damaged);
    utimesSync(file, past, past);
    assert.equal(start(tmp), 'number\n');
    assert.ok(statSync(file).mtimeMs > past.getTime());
  });
});

test('processes with other V8 flags keep a cache each, and each is read, not written again', () => {
  withTmp((tmp) => {
    const past = new Date('2020-01-01T00:00:00Z');
    start(tmp);
    start(tmp, {}, ['--max-old-space-size=512']);
    start(tmp, { NODE_OPTIONS: '--max-semi-space-size=32' });
    const files = cacheFiles(tmp);
    assert.equal(files.length, 3, files.join(', '));
    for (const name of files) utimesSync(join(tmp, FOLDER, name), past, past);
    start(tmp, {}, ['--max-old-space-size=512']);
    start(tmp, { NODE_OPTIONS: '--max-semi-space-size=32' });
    start(tmp);
    for (const name of cacheFiles(tmp)) assert.equal(statSync(join(tmp, FOLDER, name)).mtimeMs, past.getTime(), name);
  });
});

test('the code of node -e and -p is not part of the key: each snippet shares the one cache', () => {
  withTmp((tmp) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
    delete env.NODE_DISABLE_COMPILE_CACHE;
    delete env.NODE_OPTIONS;
    for (const code of ['1', '2', '3']) execFileSync(process.execPath, ['--require', REGISTER, '-e', code], { env });
    for (const code of ['1', '2']) execFileSync(process.execPath, ['--require', REGISTER, `--eval=${code}`], { env });
    assert.equal(cacheFiles(tmp).length, 1, cacheFiles(tmp).join(', '));
  });
});

test('a cache that cannot be written leaves no file behind', () => {
  withTmp((tmp) => {
    start(tmp);
    const [name] = cacheFiles(tmp);
    const dir = join(tmp, FOLDER);
    // Its name taken by a folder: the rename fails at every start.
    rmSync(join(dir, name!));
    mkdirSync(join(dir, name!));
    assert.equal(start(tmp), 'number\n');
    assert.equal(start(tmp), 'number\n');
    assert.deepEqual(readdirSync(dir), [name]);
  });
});

test("a package manager's dormant preload writes no cache: the app's start, which runs all of it, does", () => {
  withTmp((tmp) => {
    const npm = join(tmp, 'node_modules', 'npm', 'bin', 'npm-cli.js');
    mkdirSync(join(tmp, 'node_modules', 'npm', 'bin'), { recursive: true });
    writeFileSync(npm, "console.log('npm')");
    const clean: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
    delete clean.NODE_DISABLE_COMPILE_CACHE;
    delete clean.NODE_OPTIONS;
    assert.equal(execFileSync(process.execPath, ['--require', REGISTER, npm], { env: clean, encoding: 'utf8' }), 'npm\n');
    assert.deepEqual(cacheFiles(tmp), []);
    start(tmp);
    assert.equal(cacheFiles(tmp).length, 1);
  });
});

test("loaded by a module system in a vm sandbox (a test runner's), the bundle runs in the sandbox, through that module system", () => {
  withTmp((tmp) => {
    const bundle = join(tmp, 'probe.bundle.js');
    writeFileSync(bundle, 'module.exports = { realm: globalThis.marker };');
    const sandbox = createContext({ marker: 'sandbox' });
    // A module system of the sandbox's own: each file compiled in it, builtins Node's.
    const sandboxRequire = (path: string): unknown => {
      if (path.startsWith('node:')) return require(path);
      const module = { exports: {} as Record<string, unknown> };
      runInContext(`(function (exports, require, module) { ${readFileSync(path, 'utf8')}\n})`, sandbox)(module.exports, sandboxRequire, module);
      return module.exports;
    };
    const { runBundle } = sandboxRequire(join(__dirname, '..', '..', 'src', 'entry', 'code-cache.js')) as typeof import('../../src/entry/code-cache.js');
    const entry = { exports: {} } as NodeJS.Module;
    runBundle(bundle, entry, sandboxRequire as NodeJS.Require);
    assert.deepEqual({ ...entry.exports }, { realm: 'sandbox' });
  });
});

test('an older cache of the same file for the same Node is removed, and a half-written one; another install and another Node version keep their own', () => {
  withTmp((tmp) => {
    start(tmp);
    const [current] = cacheFiles(tmp);
    const dir = join(tmp, FOLDER);
    // register.bundle.js-<path hash>-<size>-<mtime>-<node>-<arch>.v8
    const samePath = current!.split('-').slice(0, 2).join('-');
    const stale = `${samePath}-1-1${NODE_SUFFIX}`;
    const otherInstall = `register.bundle.js-00000000-1-1${NODE_SUFFIX}`;
    const otherNode = `${samePath}-1-1-v99.0.0-${process.arch}.v8`;
    const leftByACrash = `${samePath}-1-1${NODE_SUFFIX}.12345.tmp`;
    for (const name of [stale, otherInstall, otherNode, leftByACrash]) writeFileSync(join(dir, name), 'x', { mode: 0o600 });
    rmSync(join(dir, current!));
    start(tmp);
    const left = readdirSync(dir).sort();
    assert.deepEqual(left, [current, otherInstall, otherNode].sort());
  });
});

test('the folder keeps at most 32 caches: writing one more drops the oldest', () => {
  withTmp((tmp) => {
    const dir = join(tmp, FOLDER);
    mkdirSync(dir, { mode: 0o700 });
    const others = Array.from({ length: 40 }, (_, i) => `register.bundle.js-${String(i).padStart(8, '0')}-1-1${NODE_SUFFIX}`);
    others.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x', { mode: 0o600 });
      const at = new Date(Date.UTC(2020, 0, 1, 0, 0, i));
      utimesSync(join(dir, name), at, at);
    });
    start(tmp);
    const left = readdirSync(dir).sort();
    assert.equal(left.length, 32, left.join(', '));
    assert.deepEqual(left.filter((name) => others.includes(name)), others.slice(9));
  });
});

test('a cache folder others can write, or a symlink, is not used: the app runs the same and nothing is read from it or written to it', () => {
  withTmp((tmp) => {
    const dir = join(tmp, FOLDER);
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    assert.equal(start(tmp), 'number\n');
    assert.deepEqual(readdirSync(dir), []);
  });
  withTmp((tmp) => {
    const target = join(tmp, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(tmp, FOLDER));
    assert.equal(start(tmp), 'number\n');
    assert.deepEqual(readdirSync(target), []);
  });
});

test("NODE_DISABLE_COMPILE_CACHE, Node's switch for its own cache, turns ours off; an unwritable TMPDIR costs nothing but the cache", () => {
  withTmp((tmp) => {
    assert.equal(start(tmp, { NODE_DISABLE_COMPILE_CACHE: '1' }), 'number\n');
    assert.equal(existsSync(join(tmp, FOLDER)), false);
  });
  withTmp((tmp) => {
    assert.equal(start(join(tmp, 'missing')), 'number\n');
    assert.equal(existsSync(join(tmp, 'missing')), false);
  });
});
