// --print-config says why a value is what it is: a given value that was invalid, or a value inherited
// from another variable. Secrets stay masked in the notes too.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConfigEntry, describeConfig } from '../../src/config/load-config.js';
import { setLogLevel } from '../../src/diag/log.js';

setLogLevel('none');

function entry(env: NodeJS.ProcessEnv, name: string, flags: string[] = []): Omit<ConfigEntry, 'name'> {
  const found = describeConfig(env, new Set(flags)).find((e) => e.name === name);
  assert.ok(found !== undefined, name);
  return { value: found.value, source: found.source, notes: found.notes };
}

describe('--print-config notes', () => {
  it('say that an invalid value fell back to the default, and why', () => {
    assert.deepEqual(entry({ OTEL_EXPORTER_OTLP_TIMEOUT: 'abc' }, 'OTEL_EXPORTER_OTLP_TIMEOUT'), {
      value: '10000',
      source: 'default',
      notes: ['"abc" is not a non-negative integer of milliseconds'],
    });
    assert.deepEqual(entry({ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED').notes, ['"yes" is not true or false']);
    assert.deepEqual(entry({ OTEL_TRACES_EXPORTER: 'zap' }, 'OTEL_TRACES_EXPORTER').notes, [
      '"zap" is not a comma list of otlp, console, none',
    ]);
  });
  it('name the generic variable a per-signal value came from', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' };
    assert.deepEqual(entry(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), {
      value: 'http://collector:4317',
      source: 'env',
      notes: ['from OTEL_EXPORTER_OTLP_ENDPOINT'],
    });
    assert.deepEqual(entry(env, 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', ['OTEL_EXPORTER_OTLP_COMPRESSION']), {
      value: 'gzip',
      source: 'flag',
      notes: ['from OTEL_EXPORTER_OTLP_COMPRESSION'],
    });
    assert.deepEqual(entry({ OTEL_ATTRIBUTE_COUNT_LIMIT: '5' }, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT').notes, ['from OTEL_ATTRIBUTE_COUNT_LIMIT']);
  });
  it('say both when a per-signal value is invalid and the generic one is used', () => {
    const env = { OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '-5', OTEL_EXPORTER_OTLP_TIMEOUT: '2000' };
    assert.deepEqual(entry(env, 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT'), {
      value: '2000',
      source: 'env',
      notes: ['"-5" is not a non-negative integer of milliseconds', 'from OTEL_EXPORTER_OTLP_TIMEOUT'],
    });
  });
  it('name the generic variable whose invalid value a per-signal default stands for', () => {
    assert.deepEqual(entry({ OTEL_EXPORTER_OTLP_TIMEOUT: 'abc' }, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT').notes, [
      'OTEL_EXPORTER_OTLP_TIMEOUT: "abc" is not a non-negative integer of milliseconds',
    ]);
  });
  it('say where service.name came from when OTEL_SERVICE_NAME is unset', () => {
    assert.deepEqual(entry({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=shop' }, 'OTEL_SERVICE_NAME'), {
      value: 'shop',
      source: 'env',
      notes: ['from OTEL_RESOURCE_ATTRIBUTES'],
    });
  });
  it('never carry a secret: invalid headers and endpoints are described without values or credentials', () => {
    const env = {
      OTEL_RESOURCE_ATTRIBUTES: 'token=s3cret,b=%E2%82',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://user:hunter2@collector',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret',
    };
    const text = JSON.stringify(describeConfig(env, new Set()));
    for (const secret of ['s3cret', 'hunter2', 'user:']) assert.ok(!text.includes(secret), secret);
    assert.deepEqual(entry(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT').notes, [
      '"ftp://REDACTED:REDACTED@collector" is not an http:// or https:// URL',
    ]);
    assert.deepEqual(entry(env, 'OTEL_RESOURCE_ATTRIBUTES').notes, ['entry 2 has invalid percent-encoding in its value']);
  });
  it('are empty for defaults and values set directly', () => {
    assert.deepEqual(entry({}, 'OTEL_BSP_SCHEDULE_DELAY').notes, []);
    assert.deepEqual(entry({ OTEL_BSP_SCHEDULE_DELAY: '10' }, 'OTEL_BSP_SCHEDULE_DELAY').notes, []);
  });
});
