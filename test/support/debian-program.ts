// Programs the tests take from Debian (Prometheus, openssl, database servers): found on PATH, or the
// tests that need them are skipped with one line saying what to install. Under CI (CI=true) a missing
// program fails the run instead, so CI never passes by skipping.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian puts PostgreSQL's server programs off PATH, one folder per major version. */
const POSTGRES_LIB = '/usr/lib/postgresql';

function postgresBinDirs(): string[] {
  try {
    return readdirSync(POSTGRES_LIB)
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => join(POSTGRES_LIB, version, 'bin'));
  } catch {
    return [];
  }
}

/**
 * Where Debian puts other server programs: /usr/sbin (rabbitmq-server, off a non-root user's PATH)
 * and /usr/lib/rabbitmq/bin.
 */
const SERVER_BIN_DIRS = ['/usr/sbin', '/usr/lib/rabbitmq/bin'];

/** The program's path: on PATH, else where Debian keeps server programs (PostgreSQL's initdb, postgres, pg_ctl; rabbitmq-server). */
export function findOnPath(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...postgresBinDirs(), ...SERVER_BIN_DIRS]) {
    const candidate = join(dir, name);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * `false` when `program` is on PATH; otherwise the one-line reason to pass as node:test's `skip` option.
 * Throws under CI=true: the test file then fails, naming the program.
 */
export function skipWithout(program: string, debianPackage: string = program): string | false {
  if (findOnPath(program) !== undefined) return false;
  const line = `needs \`${program}\`: apt-get install -y --no-install-recommends ${debianPackage}`;
  if (process.env.CI === 'true') throw new Error(`${line} (under CI=true a missing program fails instead of skipping)`);
  return line;
}

/** Debian's own Python, which sees the python3-* packages (a pyenv or venv python3 first on PATH would not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * `false` when Debian's Python imports every one of `modules`; otherwise the one-line reason to skip,
 * naming the packages. Throws under CI=true, as skipWithout does.
 */
export function skipWithoutPythonModules(modules: readonly string[], debianPackages: readonly string[]): string | false {
  const imported = existsSync(DEBIAN_PYTHON) && spawnSync(DEBIAN_PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0;
  if (imported) return false;
  const line = `needs ${DEBIAN_PYTHON} with ${modules.join(', ')}: apt-get install -y --no-install-recommends ${debianPackages.join(' ')}`;
  if (process.env.CI === 'true') throw new Error(`${line} (under CI=true a missing program fails instead of skipping)`);
  return line;
}
