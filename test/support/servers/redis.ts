// A real Redis for the tests: the one OTEL_TEST_REDIS_URL names, else a throwaway redis-server (Debian's
// `redis-server` package) on a free loopback port, with no persistence, stopped in stop().
// Suites pass `{ skip: skipWithout('redis-server', 'redis-server') }`. startRedisCluster() starts a three-master Redis Cluster.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface TestCluster {
  /** The masters' addresses: `{ host, port }` as ioredis's Cluster takes them. */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/** The reply of one command sent with redis-cli (Debian's redis-tools, which redis-server depends on). */
function redisCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`redis-cli ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports, each a throwaway
 * redis-server in cluster mode, its slots assigned by `redis-cli --cluster create`.
 */
export async function startRedisCluster(): Promise<TestCluster> {
  const host = '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'otel-redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: Array<{ host: string; port: number }> = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM')) : Promise.resolve())),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
        { stdio: 'ignore' },
      );
      children.push(child);
      nodes.push({ host, port });
    }
    const deadline = Date.now() + 10_000;
    for (const node of nodes) {
      while (!(await answersPing(node.host, node.port))) {
        if (Date.now() > deadline) throw new Error(`redis-server (cluster mode) did not start on ${node.host}:${node.port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await redisCli(['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) {
      while (!(await redisCli(['-h', node.host, '-p', String(node.port), 'cluster', 'info'])).includes('cluster_state:ok')) {
        if (Date.now() > deadline + 20_000) throw new Error(`the cluster did not become ready on ${node.host}:${node.port}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
