// Starts bin/otel-instrument as a real child process and waits on what it prints and how it ends.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'otel-instrument');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(timeoutMs?: number): Promise<Exit>;
}

/** Proxy variables of the machine the tests run on: our exporters honour them, so they would reroute the tests' own. */
const PROXY_VARIABLE = /^(https?|no|all)_proxy$/i;

/** Environment for child runs: ours without anything OTEL_*, NODE_OPTIONS or *_proxy leaking in. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OTEL_') || key === 'NODE_OPTIONS' || key.startsWith('NODE_TEST') || PROXY_VARIABLE.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Running {
  return startProcess(process.execPath, [CLI, ...args], env, cwd);
}

export function startProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Running {
  const started = Date.now();
  const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const lineWaiters: Array<() => void> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of lineWaiters.splice(0)) waiter();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started }));
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          const match = pattern.exec(stdout);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`process ended before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
          } else lineWaiters.push(check);
        };
        child.on('close', check);
        check();
      });
    },
    exited(timeoutMs = 20_000) {
      return Promise.race([
        exit,
        new Promise<Exit>((_, reject) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`process did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
          }, timeoutMs);
          void exit.then(() => clearTimeout(timer));
        }),
      ]);
    },
  };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000, cwd = ROOT): Promise<Exit> {
  return startCli(args, env, cwd).exited(timeoutMs);
}

/** GET over plain node:http from the test process, returning status and body. */
export async function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
