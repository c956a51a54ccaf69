// Next.js 15 under the real launcher: the suite in nextjs-suite.ts with `next start` and the custom
// server. The project's devDependency is Next 16, so next@15 (with react@19 and react-dom@19) is
// installed for this test into a temporary directory, from npm's cache when it has them (about 10 s
// and 330 MB, mostly Next's native compiler; removed afterwards), and the app is built there. The
// suite is skipped, with the reason, when npm cannot install it.

import { after } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv } from '../support/run-cli.js';
import { nextjsSuite, type NextInstall } from './nextjs-suite.js';

const run = promisify(execFile);
let dir: string | undefined;
after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function installNext15(): Promise<NextInstall> {
  dir = mkdtempSync(join(tmpdir(), 'otel-instrument-next15-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'next15-under-test', private: true }));
  try {
    const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', 'next@15', 'react@19', 'react-dom@19'];
    await run('npm', args, { cwd: dir, env: cleanEnv({ NEXT_TELEMETRY_DISABLED: '1' }), timeout: 240_000 });
  } catch (error) {
    const npmSaid = String((error as { stderr?: unknown }).stderr ?? '')
      .split('\n')
      .find((line) => /^npm (error|ERR!)/.test(line));
    return { skip: `npm could not install next@15: ${npmSaid ?? String((error as Error).message).split('\n')[0]}` };
  }
  return { nodeModules: join(dir, 'node_modules'), installDir: dir };
}

nextjsSuite('Next.js 15', installNext15, ['custom server']);
