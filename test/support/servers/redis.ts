// A real Redis for the tests: the one OTEL_TEST_REDIS_URL names, else a throwaway redis-server (Debian's
// `redis-server` package) on a free loopback port, with no persistence, stopped in stop().
// Suites pass `{ skip: skipWithout('redis-server', 'redis-server') }`.

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../free-port.js';

export interface TestServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** True once the server answers PING with PONG. */
async function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<TestServer> {
  const given = process.env.OTEL_TEST_REDIS_URL;
  if (given !== undefined && given !== '') {
    const url = new URL(given);
    return { url: given, host: url.hostname, port: Number(url.port || 6379), stop: async () => {} };
  }
  const host = '127.0.0.1';
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', '/tmp'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on ${host}:${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://${host}:${port}`,
    host,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
