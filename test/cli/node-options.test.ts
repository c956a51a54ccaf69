import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  PACKAGE_ROOT,
  preloadPaths,
  quoteNodeOption,
  splitNodeOptions,
  supportsImportPreload,
  withPreloads,
} from '../../src/cli/node-options.js';

const OURS = { require: '/opt/otel/dist/src/bootstrap/register.js', import: 'file:///opt/otel/dist/src/bootstrap/register.mjs' };

describe('preload paths', () => {
  it('point into dist/src/bootstrap of the package root', () => {
    const p = preloadPaths('/pkg', '20.6.0');
    assert.equal(p.require, '/pkg/dist/src/bootstrap/register.js');
    assert.equal(p.import, 'file:///pkg/dist/src/bootstrap/register.mjs');
    assert.equal(PACKAGE_ROOT, join(__dirname, '..', '..', '..'));
  });
  it('use --import only where module.register exists', () => {
    const table: Array<[string, boolean]> = [
      ['18.18.2', false],
      ['18.19.0', true],
      ['19.9.0', false],
      ['20.5.1', false],
      ['20.6.0', true],
      ['v22.1.0', true],
      ['24.0.0', true],
    ];
    for (const [version, expected] of table) assert.equal(supportsImportPreload(version), expected, version);
    assert.equal(preloadPaths('/pkg', '20.5.0').import, undefined);
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
    assert.equal(
      withPreloads('--max-old-space-size=100  --require "./my hook.js"', OURS),
      `--require ${OURS.require} --import ${OURS.import} --max-old-space-size=100  --require "./my hook.js"`,
    );
  });
  it('works with nothing to keep', () => {
    assert.equal(withPreloads(undefined, OURS), `--require ${OURS.require} --import ${OURS.import}`);
    assert.equal(withPreloads('  ', { ...OURS, import: undefined }), `--require ${OURS.require}`);
  });
  it('does not add preloads that are already there, in any spelling', () => {
    const existing = `-r ${OURS.require} --import=${OURS.import}`;
    assert.equal(withPreloads(existing, OURS), existing);
    const again = withPreloads(withPreloads('--trace-warnings', OURS), OURS);
    assert.equal(again, withPreloads('--trace-warnings', OURS));
    const importAsPath = `--import /opt/otel/dist/src/bootstrap/register.mjs`;
    assert.equal(withPreloads(importAsPath, OURS), `--require ${OURS.require} ${importAsPath}`);
  });
  it('quotes a require path with spaces; the import URL needs no quotes', () => {
    const root = '/opt/my otel';
    const result = withPreloads('', preloadPaths(root, '20.6.0'));
    assert.equal(
      result,
      '--require "/opt/my otel/dist/src/bootstrap/register.js" --import file:///opt/my%20otel/dist/src/bootstrap/register.mjs',
    );
  });
  it('produces NODE_OPTIONS that node accepts and preloads, from a directory with spaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel instrument "q" '));
    try {
      const cjs = join(dir, 'pre load.js');
      const esm = join(dir, 'pre load.mjs');
      writeFileSync(cjs, 'process.stdout.write("cjs;");');
      writeFileSync(esm, 'process.stdout.write("esm;");');
      const nodeOptions = withPreloads('--no-warnings', { require: cjs, import: pathToFileURL(esm).href });
      const result = spawnSync(process.execPath, ['-e', 'process.stdout.write("app")'], {
        env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: nodeOptions },
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'cjs;esm;app');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
