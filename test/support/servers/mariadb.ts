// Test support: a real MariaDB for the mysql2 tests. OTEL_TEST_MYSQL_URL names a running server (CI, a
// developer's own MySQL or MariaDB); otherwise a throwaway one is started from Debian's programs on a
// free loopback port, in a temporary directory, and stop() stops it and deletes the directory.
//
// mariadbd refuses to run as root unless told to: as root the data directory belongs to the `mysql`
// user (made by the Debian package) and the server runs as that user. The root account has no password
// (`--auth-root-authentication-method=normal`) and only listens on 127.0.0.1.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** The database the throwaway server's URL names (made empty at startup). */
export const TEST_DATABASE = 'otel_test';

export async function startMariaDb(): Promise<TestServer> {
  const named = process.env.OTEL_TEST_MYSQL_URL;
  if (named !== undefined && named !== '') {
    const url = new URL(named);
    return { url: named, host: url.hostname, port: Number(url.port || 3306), stop: async () => undefined };
  }
  const installDb = findOnPath('mariadb-install-db') ?? findOnPath('mysql_install_db');
  const mariadbd = findOnPath('mariadbd');
  if (installDb === undefined || mariadbd === undefined) throw new Error('MariaDB programs (mariadb-install-db, mariadbd) not found: apt-get install mariadb-server');

  const root = mkdtempSync(join(tmpdir(), 'otel-mariadb-'));
  const dataDir = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'mysql' : (process.env.USER ?? 'nobody');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, uid, gid);
  }
  const init = spawnSync(
    installDb,
    ['--no-defaults', '--auth-root-authentication-method=normal', `--datadir=${dataDir}`, `--user=${user}`, '--skip-test-db', '--skip-name-resolve'],
    { encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  }

  // The test database is made by the server itself at startup: no client library is loaded here, so
  // the in-process tests' hooks still see mysql2's first load.
  const initFile = join(root, 'init.sql');
  writeFileSync(initFile, `CREATE DATABASE IF NOT EXISTS ${TEST_DATABASE};\n`);
  const port = await freePort();
  const server: ChildProcess = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(root, 's')}`,
      `--pid-file=${join(root, 'pid')}`,
      `--user=${user}`,
      '--skip-grant-tables',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--max-connections=200',
      `--init-file=${initFile}`,
      `--log-error=${join(root, 'error.log')}`,
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  server.once('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, () => exited, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `mysql://root@127.0.0.1:${port}/${TEST_DATABASE}`, host: '127.0.0.1', port, stop };
}

async function waitForPort(port: number, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error('mariadbd exited during startup');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`mariadbd did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
