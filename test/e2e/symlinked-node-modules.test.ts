// An ES module app whose node_modules is a symlink (pnpm's layout, npm link, a monorepo's shared
// folder) is instrumented under the launcher like any other: the launcher's sockets are checked in a way
// that leaves require()'s symlink resolution alone (src/exit/launcher-fd.ts), so the ESM hooks load once.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { ROOT, startProcess } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-symlinked-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an ES module app on a symlinked node_modules gets its http spans under the launcher', async () => {
  // otel-instrument itself and the app each on a node_modules that is a symlink, as a pnpm install or a
  // git worktree sharing one node_modules has them.
  const pkg = join(dir, 'otel-instrument');
  mkdirSync(pkg);
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  const appDir = join(dir, 'app');
  mkdirSync(appDir);
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'), 'dir');
  writeFileSync(
    join(appDir, 'app.mjs'),
    // Nothing loaded through require: only the ESM hooks can patch node:http here.
    `import http from 'node:http';
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  http.get('http://127.0.0.1:' + server.address().port + '/items/1', (res) => { res.resume(); res.on('end', () => server.close()); });
});
`,
  );
  const receiver = await GrpcReceiver.start();
  try {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
    const exit = await startProcess(process.execPath, [join(pkg, 'bin', 'otel-instrument'), 'node', 'app.mjs'], env, appDir).exited();
    assert.equal(exit.code, 0, exit.stderr);
    const spans = await receiver.waitForSpans(2);
    assert.deepEqual(spans.map((s) => s.kind).sort(), [2, 3]);
  } finally {
    await receiver.close();
  }
});
