// A flag or OTEL_* variable that names nothing we read still sets its variable (Python's rule), but a
// typo's distance from a known name gets one "did you mean" line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { closestName, editDistance } from '../../src/config/closest-name.js';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'otel-instrument');
const PRINT_ENV = join(ROOT, 'test', 'fixtures', 'cli', 'print-env.js');

function launch(args: string[], env: Record<string, string> = {}): { stderr: string[]; env: Record<string, string> } {
  const result = spawnSync(process.execPath, [BIN, ...args, process.execPath, PRINT_ENV], {
    env: { PATH: process.env.PATH ?? '', OTEL_SDK_DISABLED: 'true', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return { stderr: result.stderr.split('\n').filter((line) => line !== ''), env: (JSON.parse(result.stdout) as { env: Record<string, string> }).env };
}

describe('did you mean', () => {
  it('a mistyped flag still sets its variable, and the launcher names the closest flag once', () => {
    const run = launch(['--servce_name', 'x']);
    assert.equal(run.env.OTEL_SERVCE_NAME, 'x');
    assert.deepEqual(run.stderr, ['otel-instrument: warn: --servce_name sets OTEL_SERVCE_NAME, which otel-instrument does not read; did you mean --service_name?']);
  });
  it('a mistyped variable in the environment is named with the closest known one', () => {
    assert.deepEqual(launch([], { OTEL_TRACES_EXPORTR: 'console', OTEL_NODE_EXPRES_IGNORE_LAYER_TYPES: 'all' }).stderr.sort(), [
      'otel-instrument: warn: unknown variable OTEL_NODE_EXPRES_IGNORE_LAYER_TYPES; did you mean OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES?',
      'otel-instrument: warn: unknown variable OTEL_TRACES_EXPORTR; did you mean OTEL_TRACES_EXPORTER?',
    ]);
  });
  it('says nothing for names far from every known one (other tools\' variables) or for known ones', () => {
    assert.deepEqual(launch(['--my_own_thing', 'x'], { OTEL_PYTHON_LOG_CORRELATION: 'true', OTEL_EXPORTER_OTLP_SPAN_INSECURE: 'true' }).stderr, []);
  });
});

describe('closestName', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each', () => {
    assert.equal(editDistance('service_name', 'servce_name'), 1);
    assert.equal(editDistance('service_name', 'sevrice_name'), 1);
    assert.equal(editDistance('service_name', 'service_nam'), 1);
    assert.equal(editDistance('abc', 'xyz'), 3);
  });
  it('answers only within a typo\'s reach: one edit for short names, two for longer ones', () => {
    assert.equal(closestName('servce_name', ['service_name', 'log_level']), 'service_name');
    assert.equal(closestName('log_lvl', ['log_level']), undefined);
    assert.equal(closestName('lg_level', ['log_level']), 'log_level');
    assert.equal(closestName('propagator', ['propagators']), 'propagators');
    assert.equal(closestName('samplers', ['traces_sampler']), undefined);
  });
});
