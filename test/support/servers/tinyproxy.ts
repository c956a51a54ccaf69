// A real HTTP proxy for the tests: Debian's `tinyproxy`, on a free loopback port, configured by a file
// written to a temp dir, in the foreground, logging every connection and request line to a file the
// tests read (`CONNECT 127.0.0.1:4317 HTTP/1.1`, `POST http://127.0.0.1:4318/v1/traces HTTP/1.1`).
// tinyproxy opens CONNECT tunnels to any port unless ConnectPort lines say otherwise, asks for Basic
// credentials with BasicAuth (407 without them), and answers 500 when it cannot reach the target.
// Suites pass `{ skip: skipWithout('tinyproxy') }`.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';

export interface TinyproxyOptions {
  /** BasicAuth: requests without these credentials get 407. */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** ConnectPort: CONNECT to any other port gets 403 (default: every port allowed). */
  readonly connectPorts?: readonly number[];
}

export interface Tinyproxy {
  /** `http://127.0.0.1:<port>` (no credentials). */
  readonly url: string;
  readonly port: number;
  /** The request lines tinyproxy logged, in order: `CONNECT 127.0.0.1:4317 HTTP/1.1`. */
  requests(): string[];
  stop(): Promise<void>;
}

const REQUEST_LINE = /Request \(file descriptor \d+\): (.*)$/;

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'otel-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    'MaxClients 100',
    `LogFile "${log}"`,
    'LogLevel Connect',
    `PidFile "${join(dir, 'tinyproxy.pid')}"`,
  ];
  if (options.credentials !== undefined) lines.push(`BasicAuth ${options.credentials.user} ${options.credentials.password}`);
  for (const allowed of options.connectPorts ?? []) lines.push(`ConnectPort ${allowed}`);
  const config = join(dir, 'tinyproxy.conf');
  writeFileSync(config, `${lines.join('\n')}\n`);

  const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`tinyproxy did not start on 127.0.0.1:${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests() {
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        return [];
      }
      const found: string[] = [];
      for (const line of text.split('\n')) {
        const match = REQUEST_LINE.exec(line);
        if (match !== null) found.push(match[1]!);
      }
      return found;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
