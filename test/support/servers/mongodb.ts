// A MongoDB-wire-compatible server for the tests: the one OTEL_TEST_MONGODB_URL names (a real mongod),
// else mongodb-emulator.py beside this file (MockupDB's wire protocol over mongomock's in-memory
// MongoDB, both from Debian: no MongoDB server installs from Debian or npm here) on a free loopback
// port, stopped in stop(). Suites pass `{ skip: skipWithoutMongoDb() }`.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEBIAN_PYTHON, skipWithoutPythonModules } from '../debian-program.js';
import { freePort } from '../free-port.js';
import type { TestServer } from './redis.js';

// Compiled to dist/test/support/servers; the script stays in the source tree.
const EMULATOR = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'servers', 'mongodb-emulator.py');

export function skipWithoutMongoDb(): string | false {
  const given = process.env.OTEL_TEST_MONGODB_URL;
  if (given !== undefined && given !== '') return false;
  return skipWithoutPythonModules(['mockupdb', 'mongomock'], ['python3-mockupdb', 'python3-mongomock']);
}

export async function startMongoDb(): Promise<TestServer> {
  const given = process.env.OTEL_TEST_MONGODB_URL;
  if (given !== undefined && given !== '') {
    const url = new URL(given);
    return { url: given, host: url.hostname, port: Number(url.port || 27017), stop: async () => {} };
  }
  const host = '127.0.0.1';
  const port = await freePort();
  const child = spawn(DEBIAN_PYTHON, [EMULATOR, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start in 10 s')), 10_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the MongoDB emulator on ${host}:${port}: ${error.message}: ${output}`));
    };
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`listening ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
  return {
    url: `mongodb://${host}:${port}`,
    host,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
