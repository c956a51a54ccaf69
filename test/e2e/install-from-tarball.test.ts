// The package as a user gets it: `npm pack`'s tarball (of the dist this test run built; packing with
// --ignore-scripts so the build is not redone under the other tests' feet), installed into a fresh
// project and globally, then run each way the README's Install section shows. Spans are read from the
// console exporter on stdout. npm fetches the runtime dependencies from the registry (or its cache).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startProcess } from '../support/run-cli.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'];
const APP = `const http = require('node:http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => http.get('http://127.0.0.1:' + server.address().port + '/hello', (res) => { res.resume(); res.on('end', () => server.close()); }));
`;
const CONSOLE = { OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_SERVICE_NAME: 'from-tarball' };

function spanNames(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { name: string }).name)
    .sort();
}

describe('installed from the packed tarball', () => {
  let dir: string;
  let project: string;
  let tarball: string;
  let installOutput: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otel-instrument-install-'));
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
    project = join(dir, 'shop');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }));
    writeFileSync(join(project, 'app.js'), APP);
    writeFileSync(join(project, 'app.mjs'), `import http from 'node:http';\n${APP.split('\n').slice(1).join('\n')}`);
    const installed = await run('npm', ['install', ...NPM_FLAGS, tarball], { cwd: project });
    installOutput = installed.stdout + installed.stderr;
  });

  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball holds the built code, the license and the changelog, and installs with only the runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'otel-instrument', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['commander', 'import-in-the-middle', 'protobufjs', 'require-in-the-middle', 'shimmer']);
    for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'bin/otel-instrument', 'dist/src/bootstrap/register.js']) {
      assert.ok(readFileSync(join(project, 'node_modules', 'otel-instrument', file)).length > 0, file);
    }
    // No lifecycle script of ours runs at install: npm has nothing to warn about.
    assert.doesNotMatch(installOutput, /otel-instrument.*(prepare|install)/);
  });

  test('the installed package serves the local viewer: its page, script and receivers come from the tarball', async () => {
    // The installed bin itself (npx would not pass our Ctrl-C on).
    const bin = join(project, 'node_modules', 'otel-instrument', 'bin', 'otel-instrument');
    const viewer = startProcess(process.execPath, [bin, '--view_port', '0', 'view'], {}, project);
    try {
      const deadline = Date.now() + 30_000;
      let match: RegExpExecArray | null = null;
      while ((match = /viewer at (\S+) \(OTLP: gRPC \S+, HTTP (\S+)\)/.exec(viewer.stderr())) === null) {
        assert.ok(Date.now() < deadline && viewer.child.exitCode === null, `no viewer line: ${viewer.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [, page, http] = match;
      for (const path of ['', 'app.js', 'app.css']) assert.equal((await fetch(`${page}${path}`)).status, 200, path);
      // The receiver loads the official .proto files shipped beside it.
      const res = await fetch(`${http}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0) });
      assert.equal(res.status, 200);
    } finally {
      viewer.child.kill('SIGINT');
    }
    assert.equal((await viewer.exited()).code, 0);
  });

  test('npx otel-instrument runs the app under the launcher', async () => {
    const exit = await startProcess('npx', ['--no-install', 'otel-instrument', 'node', 'app.js'], CONSOLE, project).exited(60_000);
    assert.equal(exit.code, 0, exit.stderr);
    assert.deepEqual(spanNames(exit.stdout), ['GET', 'GET']);
  });

  test('node --require otel-instrument/register and --import otel-instrument/register, without the launcher', async () => {
    for (const [flag, app] of [['--require', 'app.js'], ['--import', 'app.mjs']] as const) {
      const exit = await startProcess(process.execPath, [flag, 'otel-instrument/register', app], CONSOLE, project).exited(60_000);
      assert.equal(exit.code, 0, exit.stderr);
      assert.deepEqual(spanNames(exit.stdout), ['GET', 'GET'], `${flag}: ${exit.stdout}`);
    }
  });

  test('npm install -g puts otel-instrument on the PATH', async () => {
    const prefix = join(dir, 'global');
    await run('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball]);
    const exit = await startProcess(join(prefix, 'bin', 'otel-instrument'), ['node', 'app.js'], CONSOLE, project).exited(60_000);
    assert.equal(exit.code, 0, exit.stderr);
    assert.deepEqual(spanNames(exit.stdout), ['GET', 'GET']);
  });
});
