import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLauncherProcess } from '../../src/bootstrap/dormant.js';

test('package managers and our own launcher are recognised as launcher processes', () => {
  for (const script of [
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/lib/node_modules/npm/bin/npx-cli.js',
    '/usr/bin/npm',
    '/home/u/.yarn/releases/yarn-4.1.0.cjs'.replace('yarn-4.1.0.cjs', 'yarn.cjs'),
    '/usr/local/lib/node_modules/pnpm/bin/pnpm.cjs',
    '/usr/local/lib/node_modules/corepack/dist/corepack.js',
    '/opt/app/node_modules/.bin/otel-instrument',
    '/work/otel-instrument/bin/otel-instrument',
    '/srv/app/node_modules/.bin/tsx',
    '/srv/app/node_modules/tsx/dist/cli.mjs',
    '/srv/app/node_modules/nodemon/bin/nodemon.js',
  ]) {
    assert.equal(isLauncherProcess(script), true, script);
  }
});

test('application scripts are not launcher processes', () => {
  for (const script of ['/srv/app/server.js', '/srv/npm-app/index.js', '/srv/app/src/tsx.ts', '/srv/app/node_modules/tsx/dist/loader.mjs', '/srv/app/dist/main.mjs', undefined]) {
    assert.equal(isLauncherProcess(script), false, String(script));
  }
});
