// Installed from a git URL, as a user without the registry would: a throwaway repository holding this
// working tree (committed changes or not), packed by npm from `git+file://` (npm clones it, installs the
// build's dev dependencies in the clone, builds there, packs), then installed globally into a fresh prefix,
// and `otel-instrument node app.js` from that prefix exports to a receiver.
//
// Not in `npm test`: npm installs every dev dependency in its clone, which takes minutes. .ci/run runs it:
//   node --test dist/test/install/from-git-url.js
//
// Two steps, not `npm install -g git+...`: npm 11 links a global install of a git package that has a
// build script to its own temporary clone, deleted once the install ends (npm/cli#6984, #4148), so the
// one-step form leaves a dangling link. The README's Install section says the same.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { ROOT, startProcess } from '../support/run-cli.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'];
const APP = `const http = require('node:http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => http.get('http://127.0.0.1:' + server.address().port + '/hello', (res) => { res.resume(); res.on('end', () => server.close()); }));
`;

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-instrument-git-'));
});

after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** A one-commit repository of the working tree's files (tracked and new, without what .gitignore leaves out). */
function throwawayRepository(): string {
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(join(repo, dirname(file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '-q', '-m', 'working tree');
  return repo;
}

test('npm pack git+file://… builds in its clone; the tarball installs globally with no lifecycle script, and the launcher exports', { timeout: 40 * 60_000 }, async () => {
  const repo = throwawayRepository();
  const packDir = join(dir, 'pack');
  mkdirSync(packDir);
  await run('npm', ['pack', ...NPM_FLAGS, '--pack-destination', packDir, `git+file://${repo}`], { cwd: packDir, maxBuffer: 64 * 1024 * 1024 });
  const tarballs = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
  assert.equal(tarballs.length, 1, tarballs.join(', '));

  const prefix = join(dir, 'global');
  const installed = await run('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, join(packDir, tarballs[0]!)], { cwd: dir });
  const output = installed.stdout + installed.stderr;
  // No lifecycle script of ours runs at install: npm has nothing to run, and nothing to warn about.
  assert.doesNotMatch(output, /otel-instrument.*(prepare|install|script)/i, output);
  assert.doesNotMatch(output, /npm warn/i, output);
  const packageDir = join(prefix, 'lib', 'node_modules', 'otel-instrument');
  for (const file of ['bin/otel-instrument', 'dist/src/bootstrap/register.js', 'dist/src/cli/main.js']) {
    assert.ok(existsSync(join(packageDir, file)), `${file} is in the installed package`);
  }

  const project = join(dir, 'shop');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true }));
  writeFileSync(join(project, 'app.js'), APP);
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await startProcess(join(prefix, 'bin', 'otel-instrument'), ['node', 'app.js'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    }, project).exited(60_000);
    assert.equal(exit.code, 0, exit.stderr);
    const spans = await receiver.waitForSpans(2);
    assert.deepEqual(spans.map((span) => [span.name, span.kind]).sort(), [['GET', 2], ['GET', 3]]);
    // service.name from the app's own package.json: the installed launcher found the app, not itself.
    assert.equal(spans[0]!.resource['service.name'], 'shop');
  } finally {
    await receiver.close();
  }
});
