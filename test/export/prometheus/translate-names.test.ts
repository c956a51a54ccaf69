// Names, units and label keys as the OpenTelemetry spec translates them for Prometheus.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  labelValue,
  prometheusMetricName,
  prometheusUnit,
  sanitizeLabelName,
  sanitizeMetricName,
  toLabels,
} from '../../../src/export/prometheus/translate-names.js';

describe('prometheus metric names', () => {
  // [OTel name, unit, monotonic sum, Prometheus name]
  const TABLE: [string, string, boolean, string][] = [
    ['http.server.request.duration', 's', false, 'http_server_request_duration_seconds'],
    ['process.cpu.time', 's', true, 'process_cpu_time_seconds_total'],
    ['process.memory.usage', 'By', false, 'process_memory_usage_bytes'],
    ['nodejs.eventloop.utilization', '1', false, 'nodejs_eventloop_utilization_ratio'],
    ['v8js.gc.duration', 's', false, 'v8js_gc_duration_seconds'],
    ['db.client.connections.max', '{connection}', false, 'db_client_connections_max'],
    ['http.server.active_requests', '{request}', false, 'http_server_active_requests'],
    ['requests', '{request}', true, 'requests_total'],
    ['requests.total', '', true, 'requests_total'],
    ['latency', 'ms', false, 'latency_milliseconds'],
    ['latency_seconds', 's', false, 'latency_seconds'],
    ['seconds.spent', 's', true, 'seconds_spent_total'],
    ['throughput', 'By/s', false, 'throughput_bytes_per_second'],
    ['rate', '{packet}/s', false, 'rate_per_second'],
    ['rate', 'm/mo', false, 'rate_meters_per_month'],
    ['temp', 'Cel', false, 'temp_celsius'],
    ['usage', '%', false, 'usage_percent'],
    ['memory', 'MiBy', false, 'memory_mebibytes'],
    ['odd', 'foo-bar', false, 'odd_foo_bar'],
    ['a..b--c', '', false, 'a_b_c'],
    ['2xx.count', '', true, '_2xx_count_total'],
    ['my:metric', '', false, 'my:metric'],
  ];
  for (const [name, unit, monotonic, expected] of TABLE) {
    it(`${name} [${unit || 'no unit'}]${monotonic ? ' (counter)' : ''} is ${expected}`, () => {
      assert.equal(prometheusMetricName(name, unit, monotonic), expected);
    });
  }

  it('units become full words, "1" becomes ratio and annotations are dropped', () => {
    assert.deepEqual(
      ['s', 'ms', 'us', 'ns', 'min', 'h', 'd', 'By', 'KiBy', 'GBy', '1', '{thing}', 'By/s', '1/s', ''].map(prometheusUnit),
      ['seconds', 'milliseconds', 'microseconds', 'nanoseconds', 'minutes', 'hours', 'days', 'bytes', 'kibibytes', 'gigabytes', 'ratio', '', 'bytes_per_second', '1_per_second', ''],
    );
  });

  it('sanitizes names: invalid characters to one underscore, no leading digit', () => {
    assert.equal(sanitizeMetricName('a.b-c d'), 'a_b_c_d');
    assert.equal(sanitizeMetricName('a__b'), 'a_b');
    assert.equal(sanitizeMetricName('9lives'), '_9lives');
    assert.equal(sanitizeMetricName('ünïcode'), '_n_code');
  });
});

describe('prometheus labels', () => {
  it('sanitizes attribute names (no colons in labels)', () => {
    assert.equal(sanitizeLabelName('http.request.method'), 'http_request_method');
    assert.equal(sanitizeLabelName('a:b'), 'a_b');
    assert.equal(sanitizeLabelName('1st'), '_1st');
    assert.equal(sanitizeLabelName('__reserved'), '_reserved');
  });

  it('turns values into strings: numbers and booleans as written, arrays as JSON', () => {
    assert.deepEqual([labelValue('x'), labelValue(200), labelValue(1.5), labelValue(true), labelValue(['a', 'b']), labelValue([1, 2])], [
      'x',
      '200',
      '1.5',
      'true',
      '["a","b"]',
      '[1,2]',
    ]);
  });

  it('merges keys that collide after sanitizing, joined by ";" in the order of the original keys', () => {
    assert.deepEqual(toLabels({ 'foo.bar': 'dot', foo_bar: 'underscore', 'foo-bar': 'dash', other: 1 }), [
      ['foo_bar', 'dash;dot;underscore'],
      ['other', '1'],
    ]);
  });
});
