// Real servers for the AWS SDK tests, on loopback, each in a child process of its own (so an
// in-process test's http instrumentation sees only the SDK's client side):
// - S3: s3rver (npm, devDependency), a Node implementation of the S3 REST API storing in a temp folder;
// - DynamoDB: dynalite (npm, devDependency), a Node implementation of the DynamoDB API on LevelDB in memory;
// - SQS and SNS: moto's server (`moto_server`, moto 5 in the machine image's Python 3.11, not a Debian
//   package), the Python AWS emulator most projects test against; it speaks the JSON protocol the
//   current SDK uses for SQS and delivers SNS publishes to subscribed SQS queues with their attributes.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../debian-program.js';
import { freePort } from '../free-port.js';
import { ROOT } from '../run-cli.js';

export interface AwsServer {
  /** The endpoint to give a client: `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Credentials every local server accepts (s3rver checks them against its default account). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const S3RVER = `
const { mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const S3rver = require('s3rver');
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: mkdtempSync(join(require('node:os').tmpdir(), 's3rver-')) });
server.run().then(({ port }) => console.log('listening ' + port));
`;

const DYNALITE = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0 });
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

/** A Node child running `script`, which prints `listening <port>` once it listens. */
async function startNodeServer(script: string, name: string): Promise<AwsServer> {
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => reject(new Error(`${name} exited: ${output}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

async function stopChild(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export function startS3rver(): Promise<AwsServer> {
  return startNodeServer(S3RVER, 's3rver');
}

export function startDynalite(): Promise<AwsServer> {
  return startNodeServer(DYNALITE, 'dynalite');
}

/**
 * moto's server program: on PATH, else in one of pyenv's Pythons (the machine image's moto lives in
 * ~/.pyenv/versions/3.11.x), for an environment whose PATH lacks pyenv's shims.
 */
function motoServer(): string | undefined {
  const onPath = findOnPath('moto_server');
  if (onPath !== undefined) return onPath;
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  try {
    for (const version of readdirSync(versions)) {
      const candidate = join(versions, version, 'bin', 'moto_server');
      if (existsSync(candidate)) return candidate;
    }
  } catch {
    // No pyenv.
  }
  return undefined;
}

/** `false` when moto_server is found; otherwise why the test skips (under CI=true: throws). */
export function skipWithoutMoto(): string | false {
  if (motoServer() !== undefined) return false;
  const line = 'needs `moto_server` (moto 5 with its server extras, in the machine image\'s Python)';
  if (process.env.CI === 'true') throw new Error(`${line} (under CI=true a missing program fails instead of skipping)`);
  return line;
}

/** moto's server for SQS and SNS, on a free loopback port, until stop(). */
export async function startMoto(): Promise<AwsServer> {
  const port = await freePort();
  const program = motoServer();
  if (program === undefined) throw new Error(String(skipWithoutMoto()));
  const child = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${output}`);
    try {
      // moto answers its own dashboard path once it is up.
      if ((await fetch(`${endpoint}/moto-api/`)).status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not start on ${endpoint}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, stop: () => stopChild(child) };
}
