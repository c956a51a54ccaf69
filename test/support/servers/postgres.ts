// Test support: a real PostgreSQL for the pg tests. OTEL_TEST_POSTGRES_URL names a running server
// (CI, a developer's own); otherwise a throwaway one is started from Debian's programs on a free
// loopback port, in a temporary directory, and stop() stops it and deletes the directory.
//
// PostgreSQL refuses to run as root: as root, the data directory belongs to the `postgres` user and
// initdb / postgres run as that user. Trust authentication on 127.0.0.1 only.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../debian-program.js';
import { freePort } from '../free-port.js';

export interface TestServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The database the throwaway server's URL names. */
export const TEST_DATABASE = 'postgres';

export async function startPostgres(): Promise<TestServer> {
  const named = process.env.OTEL_TEST_POSTGRES_URL;
  if (named !== undefined && named !== '') {
    const url = new URL(named);
    return { url: named, host: url.hostname, port: Number(url.port || 5432), stop: async () => undefined };
  }
  const initdb = findOnPath('initdb');
  const postgres = findOnPath('postgres');
  if (initdb === undefined || postgres === undefined) throw new Error('PostgreSQL programs (initdb, postgres) not found: apt-get install postgresql');

  const root = mkdtempSync(join(tmpdir(), 'otel-pg-'));
  const dataDir = join(root, 'data');
  // As root, initdb and postgres run as the `postgres` user (spawn's uid/gid: signals reach postgres itself).
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner !== undefined) {
    chownSync(root, owner.uid, owner.gid);
    chmodSync(root, 0o700);
  }

  const init = spawnSync(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { encoding: 'utf8', cwd: root, ...owner });
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
  }

  const port = await freePort();
  const args = [
    '-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', root,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ];
  const child = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, ...owner });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await waitUntilAccepting(child, port, () => stderr);
  } catch (error) {
    await stopChild(child);
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`,
    host: '127.0.0.1',
    port,
    async stop() {
      await stopChild(child);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root and no `postgres` user to run PostgreSQL as');
  return { uid, gid };
}

/** Ready once a startup packet gets an answer: an open port alone may come before PostgreSQL accepts logins. */
async function waitUntilAccepting(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${stderr()}`);
    if (await answersStartup(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`postgres did not start on port ${port} in 30 s: ${stderr()}`);
}

function answersStartup(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      // StartupMessage, protocol 3.0, user=postgres database=postgres.
      const body = Buffer.from('user\0postgres\0database\0postgres\0\0');
      const header = Buffer.alloc(8);
      header.writeInt32BE(8 + body.length, 0);
      header.writeInt32BE(196608, 4);
      socket.write(Buffer.concat([header, body]));
    });
    // 'R' (authentication OK) means ready; 'E' is "the database system is starting up".
    socket.once('data', (data: Buffer) => done(data[0] === 0x52));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // SIGINT: PostgreSQL's fast shutdown.
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
