// Spawns bin/otel-instrument around small fixture apps and checks what the app and the caller see.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FLAGS } from '../../src/cli/flags.js';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'otel-instrument');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
const PRINT_ENV = join(FIXTURES, 'print-env.js');
const NODE = process.execPath;

/** A clean environment: no OTEL_* or NODE_OPTIONS from the machine; the SDK off so the preload stays quiet. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', OTEL_SDK_DISABLED: 'true', ...extra };
}

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(NODE, [BIN, ...args], { env: baseEnv(extraEnv), encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

interface Printed {
  argv: string[];
  pid: number;
  env: Record<string, string>;
}

function printEnv(args: string[], extraEnv: Record<string, string> = {}, appArgs: string[] = []): Printed {
  const result = cli([...args, NODE, PRINT_ENV, ...appArgs], extraEnv);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Printed;
}

/** Resolves when `child`'s stdout has shown `text`; rejects after `ms`. */
function waitForOutput(child: ChildProcess, text: string, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${JSON.stringify(text)} within ${ms} ms; got ${JSON.stringify(seen)}`));
    }, ms);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        cleanup();
        resolve(seen);
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
    };
    child.stdout?.on('data', onData);
  });
}

function waitForExit(child: ChildProcess, ms = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`launcher still running after ${ms} ms`));
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout });
    });
  });
}

before(() => {
  // The launcher preloads the bootstrap's compiled register files; they must exist for the child to start.
  assert.ok(existsSync(join(ROOT, 'dist', 'src', 'bootstrap', 'register.js')), 'dist/src/bootstrap/register.js is missing: build first');
});

describe('otel-instrument flags', () => {
  it('become variables in the app\'s environment', () => {
    const out = printEnv(['--service_name', 'svc', '--traces_exporter', 'console', '--exporter_otlp_headers=a=b']);
    assert.equal(out.env.OTEL_SERVICE_NAME, 'svc');
    assert.equal(out.env.OTEL_TRACES_EXPORTER, 'console');
    assert.equal(out.env.OTEL_EXPORTER_OTLP_HEADERS, 'a=b');
  });
  it('override the same variable from the environment', () => {
    const out = printEnv(['--service_name', 'from-flag'], { OTEL_SERVICE_NAME: 'from-env', OTEL_LOGS_EXPORTER: 'console' });
    assert.equal(out.env.OTEL_SERVICE_NAME, 'from-flag');
    assert.equal(out.env.OTEL_LOGS_EXPORTER, 'console');
  });
  it('work in both spellings, with the alias and for any other OTEL_ variable', () => {
    const out = printEnv(['--metrics-exporter', 'none', '--instrumentations=http,express', '--bsp_schedule_delay', '200', '--disabled-instrumentations', 'fs']);
    assert.equal(out.env.OTEL_METRICS_EXPORTER, 'none');
    assert.equal(out.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS, 'http,express');
    assert.equal(out.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS, 'fs');
    assert.equal(out.env.OTEL_BSP_SCHEDULE_DELAY, '200');
  });
  it('stop at the command: later arguments go to the app untouched', () => {
    const out = printEnv(['--service_name', 'a'], {}, ['--port', '3', '--service_name', 'b']);
    assert.deepEqual(out.argv, ['--port', '3', '--service_name', 'b']);
    assert.equal(out.env.OTEL_SERVICE_NAME, 'a');
  });
  it('end at --', () => {
    const result = cli(['--service_name', 'a', '--', NODE, PRINT_ENV, '--', '-x']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as Printed).argv, ['--', '-x']);
  });
  it('leave variables the user did not set alone', () => {
    const out = printEnv([]);
    // Ours only: the preload, the exit handoff, the launcher link, and the mark that the configuration was checked.
    assert.deepEqual(Object.keys(out.env).sort(), [
      'NODE_OPTIONS',
      'OTEL_INSTRUMENT_CONFIG_CHECKED',
      'OTEL_INSTRUMENT_HANDOFF_FD',
      'OTEL_INSTRUMENT_LAUNCHER_PID',
      'OTEL_INSTRUMENT_LINK_FD',
      'OTEL_SDK_DISABLED',
    ]);
  });
});

describe('otel-instrument NODE_OPTIONS', () => {
  it('preloads our register files and keeps the user\'s options', () => {
    const out = printEnv([], { NODE_OPTIONS: '--max-old-space-size=100 --no-deprecation' });
    const register = join(ROOT, 'dist', 'src', 'bootstrap', 'register.js');
    // One --require: the CommonJS preload installs the import hooks itself (no --import).
    assert.ok(out.env.NODE_OPTIONS.startsWith(`--require ${register}`), out.env.NODE_OPTIONS);
    assert.doesNotMatch(out.env.NODE_OPTIONS, /--import/);
    assert.ok(out.env.NODE_OPTIONS.endsWith(' --max-old-space-size=100 --no-deprecation'), out.env.NODE_OPTIONS);
  });
  it('tells the app the launcher\'s pid', () => {
    const child = spawnSync(NODE, [BIN, NODE, PRINT_ENV], { env: baseEnv(), encoding: 'utf8', timeout: 20_000 });
    const out = JSON.parse(child.stdout) as Printed;
    assert.match(out.env.OTEL_INSTRUMENT_LAUNCHER_PID, /^\d+$/);
    assert.notEqual(out.env.OTEL_INSTRUMENT_LAUNCHER_PID, String(out.pid));
  });
});

describe('otel-instrument help, version and errors', () => {
  it('--help lists every flag with its variable, and exits 0', () => {
    const result = cli(['--help']);
    assert.equal(result.status, 0);
    for (const spec of FLAGS) {
      assert.ok(result.stdout.includes(`--${spec.flag} <value>`), spec.flag);
      assert.ok(result.stdout.includes(spec.env), spec.env);
    }
    assert.match(result.stdout, /--print-config/);
    assert.match(result.stdout, /OTEL_<NAME>/);
    assert.equal(result.stderr, '');
  });
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = cli(['--version']);
    assert.deepEqual([result.status, result.stdout], [0, `${version}\n`]);
  });
  for (const [what, args] of [
    ['an unknown short option', ['-x', NODE, PRINT_ENV]],
    ['a malformed option', ['--a.b', 'c', NODE, PRINT_ENV]],
    ['a flag without its value', ['--service_name']],
    ['a missing command', ['--service_name', 'a']],
    ['no arguments at all', []],
  ] as const) {
    it(`rejects ${what} with one line on stderr and exit code 2`, () => {
      const result = cli([...args]);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^otel-instrument: [^\n]+\n$/);
    });
  }
});

describe('otel-instrument --print-config', () => {
  it('prints every variable with its value and source, and exits 0 without a command', () => {
    const result = cli(['--print-config', '--service_name', 'svc'], { OTEL_TRACES_EXPORTER: 'console' });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) assert.match(line, /^OTEL_[A-Z0-9_]+=.* \((flag|env|default)\)$/);
    assert.ok(lines.includes('OTEL_SERVICE_NAME=svc (flag)'));
    assert.ok(lines.includes('OTEL_TRACES_EXPORTER=console (env)'));
    assert.ok(lines.includes('OTEL_BSP_MAX_QUEUE_SIZE=2048 (default)'));
  });
  it('masks header values and URL credentials', () => {
    const result = cli(['--print-config', '--exporter_otlp_traces_headers', 'x-key=flagsecret'], {
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20secret',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://me:hunter2@collector:4318',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /secret|hunter2/);
    assert.match(result.stdout, /^OTEL_EXPORTER_OTLP_HEADERS=authorization=\*\*\*\* \(env\)$/m);
    assert.match(result.stdout, /^OTEL_EXPORTER_OTLP_TRACES_HEADERS=authorization=\*\*\*\*,x-key=\*\*\*\* \(flag\)$/m);
    assert.match(result.stdout, /^OTEL_EXPORTER_OTLP_ENDPOINT=https:\/\/REDACTED:REDACTED@collector:4318 \(env\)$/m);
  });
  it('does not run the command', () => {
    const result = cli(['--print-config', NODE, '-e', 'process.stdout.write("RAN")']);
    assert.equal(result.status, 0);
    assert.doesNotMatch(result.stdout, /RAN/);
  });
});

describe('otel-instrument running the command', () => {
  it('exits with the command\'s exit code', () => {
    assert.equal(cli([NODE, '-e', 'process.exit(7)']).status, 7);
    assert.equal(cli([NODE, '-e', '']).status, 0);
  });
  it('exits 127 with one line when the command does not exist', () => {
    const result = cli(['otel-instrument-no-such-command-xyz', 'arg']);
    assert.equal(result.status, 127);
    assert.equal(result.stderr, 'otel-instrument: cannot run "otel-instrument-no-such-command-xyz": not found\n');
  });
  it('forwards SIGTERM to a command that handles it, and exits as the command does', async () => {
    const launcher = spawn(NODE, [BIN, NODE, join(FIXTURES, 'trap-sigterm.js')], { env: baseEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = waitForExit(launcher);
    await waitForOutput(launcher, 'ready\n');
    launcher.kill('SIGTERM');
    const { code, signal, stdout } = await exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    assert.match(stdout, /got SIGTERM/);
  });
  it('dies by the same signal as a command killed by it', async () => {
    const launcher = spawn(NODE, [BIN, NODE, join(FIXTURES, 'wait-forever.js')], { env: baseEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = waitForExit(launcher);
    await waitForOutput(launcher, 'ready\n');
    launcher.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.deepEqual({ code, signal }, { code: null, signal: 'SIGTERM' });
  });
  it('forwards SIGINT and SIGHUP too', async () => {
    for (const sent of ['SIGINT', 'SIGHUP'] as const) {
      const launcher = spawn(NODE, [BIN, NODE, join(FIXTURES, 'wait-forever.js')], { env: baseEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = waitForExit(launcher);
      await waitForOutput(launcher, 'ready\n');
      launcher.kill(sent);
      assert.equal((await exited).signal, sent);
    }
  });
});
