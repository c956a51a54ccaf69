// A graphql outside 15-17 is left alone: its files are not patched and no channel is subscribed.
// The versions are read from the package.json of the directory the module hook reports, as for an
// app's own graphql, so each case here is a directory with the version it claims.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { isWrapped } from '../../../src/hook/patch.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';

const recorded = instrumentInProcess(['graphql']);
const graphql16 = dirname(require.resolve('graphql-16/package.json'));
const dirs: string[] = [];

function packageDir(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'graphql-version-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'graphql', version }));
  dirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of graphql 16's execute.js exports, as the hook would hand over a module of `basedir`. */
function loadExecute(basedir: string): Record<string, unknown> {
  const exports = { ...(require(join(graphql16, 'execution', 'execute.js')) as Record<string, unknown>) };
  return recorded.hooks.onLoad(exports, 'graphql/execution/execute.js', basedir);
}

test('graphql 14 and 18 are left unpatched, graphql 16 is patched', () => {
  assert.equal(isWrapped(loadExecute(packageDir('14.7.0')).execute), false);
  assert.equal(isWrapped(loadExecute(packageDir('18.0.0')).execute), false);
  assert.equal(isWrapped(loadExecute(packageDir('16.9.0')).execute), true);
});

test("graphql 18's package subscribes to no channel; graphql 17's does", () => {
  const execute = diagnosticsChannel.tracingChannel('graphql:execute');
  recorded.hooks.onLoad({}, 'graphql', packageDir('18.0.0'));
  assert.equal(execute.start.hasSubscribers, false);
  recorded.hooks.onLoad({}, 'graphql', packageDir('17.1.0'));
  assert.equal(execute.start.hasSubscribers, true);
});
