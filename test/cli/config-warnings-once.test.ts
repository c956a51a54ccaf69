// Configuration warnings are said once per launch: by the launcher, before the app starts, and not again
// by the app or by a node process the app spawns. Without the launcher, the preloaded process says them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_CHECKED_VAR, configFingerprint } from '../../src/config/config-warnings.js';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'otel-instrument');
const REGISTER = join(ROOT, 'dist', 'src', 'bootstrap', 'register.js');
const NODE = process.execPath;
/** An app that starts a node child and waits for it (both preloaded through NODE_OPTIONS). */
const SPAWNS_CHILD = `require('node:child_process').execFileSync(process.execPath, ['-e', ''], { stdio: 'inherit' });`;

// Exporters off: nothing to connect to; the SDK still starts, so the app and its child load the configuration.
const QUIET_SDK = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

function run(command: string[], env: Record<string, string>): string[] {
  const result = spawnSync(command[0]!, command.slice(1), {
    env: { PATH: process.env.PATH ?? '', ...QUIET_SDK, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr.split('\n').filter((line) => line !== '');
}

describe('configuration warnings', () => {
  it('are said once per launch by the launcher, not again by the app or its node child', () => {
    const lines = run([NODE, BIN, 'node', '-e', SPAWNS_CHILD], {
      OTEL_BSP_MAX_QUEUE_SIZE: 'abc',
      OTEL_LOG_LEVEL: 'loud',
      OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES: 'bogus',
    });
    assert.deepEqual(lines.sort(), [
      'otel-instrument: warn: invalid OTEL_BSP_MAX_QUEUE_SIZE="abc" (expected a positive integer); using 2048',
      'otel-instrument: warn: invalid OTEL_LOG_LEVEL="loud" (expected one of none, error, warn, info, debug, verbose, all); using info',
      'otel-instrument: warn: invalid OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES="bogus" (expected middleware, router, request_handler, all, none); using middleware',
    ]);
  });
  it('include a flag\'s bad value, and follow a --log_level flag', () => {
    assert.deepEqual(run([NODE, BIN, '--bsp_schedule_delay=-5', 'node', '-e', SPAWNS_CHILD], {}), [
      'otel-instrument: warn: invalid OTEL_BSP_SCHEDULE_DELAY="-5" (expected a non-negative integer of milliseconds); using 5000',
    ]);
    assert.deepEqual(run([NODE, BIN, '--log_level', 'none', '--bsp_schedule_delay=-5', 'node', '-e', SPAWNS_CHILD], {}), []);
  });
  it('are said by a preloaded process without the launcher, once', () => {
    const lines = run([NODE, '--require', REGISTER, '-e', ''], { OTEL_BSP_MAX_QUEUE_SIZE: 'abc', OTEL_PROPAGATORS: 'nope' });
    assert.deepEqual(lines.sort(), [
      'otel-instrument: warn: invalid OTEL_BSP_MAX_QUEUE_SIZE="abc" (expected a positive integer); using 2048',
      'otel-instrument: warn: invalid OTEL_PROPAGATORS="nope" (expected tracecontext, baggage, b3, b3multi, jaeger, none); using tracecontext,baggage',
    ]);
  });
  it('are said again by a process whose OTEL_* values differ from the ones the launcher checked', () => {
    const env = { ...QUIET_SDK, OTEL_BSP_MAX_QUEUE_SIZE: 'abc' };
    const marked = { ...env, [CONFIG_CHECKED_VAR]: configFingerprint(env) };
    assert.deepEqual(run([NODE, '--require', REGISTER, '-e', ''], marked), []);
    const changed = { ...marked, OTEL_BSP_MAX_QUEUE_SIZE: 'xyz' };
    assert.deepEqual(run([NODE, '--require', REGISTER, '-e', ''], changed), [
      'otel-instrument: warn: invalid OTEL_BSP_MAX_QUEUE_SIZE="xyz" (expected a positive integer); using 2048',
    ]);
  });
});

describe('the configuration fingerprint', () => {
  it('depends on the OTEL_* values only, not on their order, other variables or our own internal ones', () => {
    const base = configFingerprint({ OTEL_A: '1', OTEL_B: '2' });
    assert.equal(configFingerprint({ OTEL_B: '2', OTEL_A: '1', PATH: '/bin', OTEL_INSTRUMENT_LAUNCHER_PID: '9' }), base);
    assert.notEqual(configFingerprint({ OTEL_A: '1', OTEL_B: '3' }), base);
    assert.notEqual(configFingerprint({ OTEL_A: '1' }), base);
    assert.match(base, /^[0-9a-f]{8}$/);
  });
});
