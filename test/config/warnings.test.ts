// What the configuration says on the real stderr (diag writes to fd 2): observed in a child process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const LOAD_CONFIG = join(__dirname, '..', '..', 'src', 'config', 'load-config.js');

/** Runs loadConfig `times` times in a fresh node with only `env`; returns its stderr lines. */
function warningsFor(env: Record<string, string>, times = 1): string[] {
  const code = `const { loadConfig } = require(${JSON.stringify(LOAD_CONFIG)}); for (let i = 0; i < ${times}; i++) loadConfig();`;
  const result = spawnSync(process.execPath, ['-e', code], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  return result.stderr.split('\n').filter((line) => line !== '');
}

describe('configuration warnings on stderr', () => {
  it('say nothing for a valid environment', () => {
    assert.deepEqual(
      warningsFor({ OTEL_SERVICE_NAME: 'a', OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '5', OTEL_TRACES_EXPORTER: 'console' }),
      [],
    );
  });
  it('are one line naming the variable, the value and the value used instead', () => {
    assert.deepEqual(warningsFor({ OTEL_BSP_MAX_QUEUE_SIZE: 'abc' }), [
      'otel-instrument: warn: invalid OTEL_BSP_MAX_QUEUE_SIZE="abc" (expected a positive integer); using 2048',
    ]);
    assert.deepEqual(warningsFor({ OTEL_BSP_SCHEDULE_DELAY: '-1' }), [
      'otel-instrument: warn: invalid OTEL_BSP_SCHEDULE_DELAY="-1" (expected a non-negative integer of milliseconds); using 5000',
    ]);
  });
  it('say when a number is too large', () => {
    assert.deepEqual(warningsFor({ OTEL_SPAN_EVENT_COUNT_LIMIT: '4294967296' }), [
      'otel-instrument: warn: invalid OTEL_SPAN_EVENT_COUNT_LIMIT="4294967296" (expected a non-negative integer <= 2147483647); using 128',
    ]);
  });
  it('cover booleans, enums and ratios', () => {
    const env = { OTEL_SDK_DISABLED: 'yes', OTEL_EXPORTER_OTLP_COMPRESSION: 'br', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' };
    assert.deepEqual(warningsFor(env).sort(), [
      'otel-instrument: warn: invalid OTEL_EXPORTER_OTLP_COMPRESSION="br" (expected one of gzip, none); using none',
      'otel-instrument: warn: invalid OTEL_SDK_DISABLED="yes" (expected true or false); using false',
      'otel-instrument: warn: invalid OTEL_TRACES_SAMPLER_ARG="2" (expected a number from 0 to 1); using 1',
    ]);
  });
  it('name unsupported values as such', () => {
    const lines = warningsFor({ OTEL_PROPAGATORS: 'xray,tracecontext', OTEL_TRACES_SAMPLER: 'xray' });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /OTEL_TRACES_SAMPLER=.*"xray" is not supported/);
    assert.match(lines[1], /^otel-instrument: warn: OTEL_PROPAGATORS: "xray" is not supported by otel-instrument; ignoring it$/);
  });
  it('are emitted once per variable and value, however often the config is loaded', () => {
    const lines = warningsFor({ OTEL_BLRP_MAX_QUEUE_SIZE: 'x', OTEL_EXPORTER_OTLP_HEADERS: 'broken' }, 3);
    assert.equal(lines.length, 2, lines.join('\n'));
  });
  it('never show a header value, not even a malformed one', () => {
    const lines = warningsFor({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsecret1,secret2token',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-key=secret3%0A',
    });
    assert.equal(lines.length, 3, lines.join('\n'));
    for (const line of lines) {
      assert.match(line, /^otel-instrument: warn: invalid OTEL_EXPORTER_OTLP_(TRACES_)?HEADERS: entry \d .*; skipping it$/);
      assert.doesNotMatch(line, /secret/);
    }
  });
  it('never show URL credentials', () => {
    const [line, ...rest] = warningsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:hunter2@collector:21', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
    assert.deepEqual(rest, []);
    assert.equal(
      line,
      'otel-instrument: warn: invalid OTEL_EXPORTER_OTLP_ENDPOINT="ftp://REDACTED:REDACTED@collector:21" (expected an http:// or https:// URL); using http://localhost:4318/v1/traces',
    );
  });
  it('report a resource attribute decode error and the discarded value without echoing it', () => {
    assert.deepEqual(warningsFor({ OTEL_RESOURCE_ATTRIBUTES: 'a=1,b=%E2%82' }), [
      'otel-instrument: warn: invalid OTEL_RESOURCE_ATTRIBUTES: entry 2 has invalid percent-encoding in its value; discarding the whole value',
    ]);
  });
  it('report clamping of a batch size and a metric timeout the user set', () => {
    const set = { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512', OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' };
    assert.deepEqual(warningsFor(set).sort(), [
      'otel-instrument: warn: OTEL_BSP_MAX_EXPORT_BATCH_SIZE (512) exceeds OTEL_BSP_MAX_QUEUE_SIZE (100); using 100',
      'otel-instrument: warn: OTEL_METRIC_EXPORT_TIMEOUT (5000) exceeds OTEL_METRIC_EXPORT_INTERVAL (1000); using 1000',
    ]);
  });
  it('clamp defaults that exceed a smaller value the user set, without a warning', () => {
    assert.deepEqual(warningsFor({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_METRIC_EXPORT_INTERVAL: '1000' }), []);
  });
  it('are silenced by OTEL_LOG_LEVEL=none', () => {
    assert.deepEqual(warningsFor({ OTEL_LOG_LEVEL: 'none', OTEL_BSP_MAX_QUEUE_SIZE: 'abc' }), []);
  });
  it('do not repeat the logger\'s own warning about OTEL_LOG_LEVEL', () => {
    const lines = warningsFor({ OTEL_LOG_LEVEL: 'loud' }, 2);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /OTEL_LOG_LEVEL/);
  });
});
