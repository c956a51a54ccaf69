// A real RabbitMQ for the tests: the one OTEL_TEST_AMQP_URL names, else a throwaway broker (Debian's
// `rabbitmq-server` package) on free loopback ports, with its own node name, Erlang cookie, epmd
// port, database and log folders in a temp dir and no plugins, stopped (and its epmd with it) in
// stop(). It takes seconds to start: share one per test file. Suites pass
// `{ skip: skipWithout('rabbitmq-server', 'rabbitmq-server') }`.
//
// Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the `rabbitmq` user and writes
// to /var/log; the broker's own script (/usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin) is run instead,
// as the current user, with everything pointed into the temp dir.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { findOnPath } from '../debian-program.js';
import { freePort } from '../free-port.js';

export interface RabbitServer {
  /** amqp://guest:guest@127.0.0.1:<port> (guest may log in over loopback). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

const RABBIT_LIB = '/usr/lib/rabbitmq/lib';

/** The broker's own start script: under /usr/lib/rabbitmq/lib/rabbitmq_server-<version>/sbin. */
function brokerScript(): string {
  try {
    for (const dir of readdirSync(RABBIT_LIB).filter((name) => name.startsWith('rabbitmq_server-')).sort().reverse()) {
      const script = join(RABBIT_LIB, dir, 'sbin', 'rabbitmq-server');
      if (existsSync(script)) return script;
    }
  } catch {
    // Not the Debian layout: whatever `rabbitmq-server` is on PATH.
  }
  return findOnPath('rabbitmq-server') ?? 'rabbitmq-server';
}

/** True once the port speaks AMQP 0-9-1: the protocol header is answered with a method frame (type 1). */
function answersAmqp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1])));
    socket.once('data', (chunk: Buffer) => done(chunk[0] === 1));
  });
}

export async function startRabbitMQ(): Promise<RabbitServer> {
  const given = process.env.OTEL_TEST_AMQP_URL;
  if (given !== undefined && given !== '') {
    const url = new URL(given);
    return { url: given, host: url.hostname, port: Number(url.port || 5672), stop: async () => {} };
  }
  const host = '127.0.0.1';
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'otel-rabbitmq-'));
  for (const sub of ['mnesia', 'log', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'home', '.erlang.cookie'), `OTELTEST${port}`, { mode: 0o400 });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users = none\n');
  const nodename = `otel-test-${port}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    LANG: 'C.UTF-8',
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: host,
    RABBITMQ_NODENAME: nodename,
    RABBITMQ_USE_LONGNAME: 'false',
    RABBITMQ_NODE_IP_ADDRESS: host,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_LOGS: join(dir, 'log', 'rabbit.log'),
  };
  const child = spawn(brokerScript(), [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopEpmd = () => spawnSync('epmd', ['-port', String(epmdPort), '-kill'], { env, stdio: 'ignore', timeout: 5000 });
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + 60_000;
  while (!(await answersAmqp(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      stopEpmd();
      cleanUp();
      throw new Error(`rabbitmq-server did not start on ${host}:${port}: ${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `amqp://guest:guest@${host}:${port}`,
    host,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      stopEpmd();
      cleanUp();
    },
  };
}
