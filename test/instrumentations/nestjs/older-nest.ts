// Nest 10 and 11 for the in-process tests: the root has Nest 12 only, and its package.json stays as
// it is. Each major's packages (core, common, both platforms, reflect-metadata, rxjs) are installed by
// npm into a folder of their own under the system's temp dir, from npm's cache when it has them
// (--prefer-offline), in about 5 s; the folder is kept and reused by later runs. When npm cannot
// install them (offline, empty cache), the tests of that major are skipped with one line that says why.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OlderNest {
  /** Requires from the folder Nest was installed in. */
  readonly load: (name: string) => unknown;
  /** The @nestjs/core version installed. */
  readonly version: string;
}

const PACKAGES = ['@nestjs/core', '@nestjs/common', '@nestjs/platform-express', '@nestjs/platform-fastify'];

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', '@nestjs', 'core', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Nest `major`, installed if need be; a string saying why not when it cannot be. */
export function olderNest(major: 10 | 11): OlderNest | string {
  const dir = join(tmpdir(), `otel-instrument-test-nestjs-${major}`);
  const marker = join(dir, 'installed.json');
  if (!existsSync(marker) || installedVersion(dir)?.startsWith(`${major}.`) !== true) {
    mkdirSync(dir, { recursive: true });
    const specs = [...PACKAGES.map((name) => `${name}@${major}`), 'reflect-metadata@0.2', 'rxjs@7'];
    try {
      execFileSync(
        process.platform === 'win32' ? 'npm.cmd' : 'npm',
        ['install', '--prefix', dir, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', '--no-package-lock', '--loglevel=error', ...specs],
        { stdio: ['ignore', 'ignore', 'pipe'], timeout: 45_000 },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
      return `npm could not install Nest ${major} into ${dir}: ${stderr || (error as Error).message}`;
    }
    writeFileSync(marker, JSON.stringify(specs));
  }
  const version = installedVersion(dir);
  if (version === undefined) return `no @nestjs/core in ${dir}`;
  return { load: createRequire(join(dir, 'package.json')), version };
}
