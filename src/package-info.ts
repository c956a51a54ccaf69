// Our name and version, read once from package.json (dist/src/package-info.js -> ../../package.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PACKAGE_ROOT = join(__dirname, '..', '..');

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const PACKAGE_NAME = 'otel-instrument';
export const PACKAGE_VERSION = readVersion();
