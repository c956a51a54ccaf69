import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { preloadPath, quoteNodeOption, splitNodeOptions, withPreloads } from '../../src/cli/node-options.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';

const OURS = '/opt/otel/dist/src/bootstrap/register.js';

describe('preload path', () => {
  it('points into dist/src/bootstrap of the package root', () => {
    assert.equal(preloadPath('/pkg'), '/pkg/dist/src/bootstrap/register.js');
    assert.equal(PACKAGE_ROOT, join(__dirname, '..', '..', '..'));
  });
});

describe('NODE_OPTIONS quoting and splitting', () => {
  it('quotes only what needs it, escaping quotes and backslashes inside', () => {
    assert.equal(quoteNodeOption('/a/b.js'), '/a/b.js');
    assert.equal(quoteNodeOption('C:\\x\\b.js'), 'C:\\x\\b.js');
    assert.equal(quoteNodeOption('/my dir/b.js'), '"/my dir/b.js"');
    assert.equal(quoteNodeOption('/a"b\\c d'), '"/a\\"b\\\\c d"');
  });
  it('splits as Node does', () => {
    assert.deepEqual(splitNodeOptions('  --a  "--b c" --d="e f" x\\y '), ['--a', '--b c', '--d=e f', 'x\\y']);
    assert.deepEqual(splitNodeOptions('"a\\"b"'), ['a"b']);
    assert.equal(splitNodeOptions('"unterminated'), undefined);
  });
  it('round-trips a quoted path', () => {
    const path = '/we "ird"/pa th\\x.js';
    assert.deepEqual(splitNodeOptions(`--require ${quoteNodeOption(path)}`), ['--require', path]);
  });
});

describe('withPreloads', () => {
  it('puts ours first and keeps the user\'s options verbatim', () => {
    assert.equal(withPreloads('--max-old-space-size=100  --require "./my hook.js"', OURS), `--require ${OURS} --max-old-space-size=100  --require "./my hook.js"`);
  });
  it('works with nothing to keep', () => {
    assert.equal(withPreloads(undefined, OURS), `--require ${OURS}`);
    assert.equal(withPreloads('  ', OURS), `--require ${OURS}`);
  });
  it('does not add the preload when it is already there, in any spelling', () => {
    for (const existing of [`-r ${OURS}`, `--require=${OURS}`, `--require ${OURS} --trace-warnings`]) assert.equal(withPreloads(existing, OURS), existing);
    const again = withPreloads(withPreloads('--trace-warnings', OURS), OURS);
    assert.equal(again, withPreloads('--trace-warnings', OURS));
  });
  it('quotes a path with spaces', () => {
    assert.equal(withPreloads('', preloadPath('/opt/my otel')), '--require "/opt/my otel/dist/src/bootstrap/register.js"');
  });
  it('produces NODE_OPTIONS that node accepts and preloads, from a directory with spaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel instrument "q" '));
    try {
      const cjs = join(dir, 'pre load.js');
      writeFileSync(cjs, 'process.stdout.write("cjs;");');
      const result = spawnSync(process.execPath, ['-e', 'process.stdout.write("app")'], {
        env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: withPreloads('--no-warnings', cjs) },
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'cjs;app');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
