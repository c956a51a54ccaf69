import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsoleMetricExporter } from '../../../src/export/console/console-metric-exporter.js';
import type { ResourceMetrics } from '../../../src/metrics/metric-data.js';

const collection: ResourceMetrics = {
  resource: { attributes: { 'service.name': 'svc' } },
  scopeMetrics: [{
    scope: { name: 'shop' },
    metrics: [
      { kind: 'sum', name: 'orders', description: 'd', unit: '1', valueType: 'int', temporality: 1, isMonotonic: true,
        points: [{ attributes: { a: 'b' }, startTime: [1700000000, 0], time: [1700000060, 0], value: 3, exemplars: [] }] },
      { kind: 'histogram', name: 'latency', description: '', unit: 's', valueType: 'double', temporality: 2,
        points: [{ attributes: {}, startTime: [1700000000, 0], time: [1700000060, 0], count: 2, sum: 1.5, min: 0.5, max: 1,
          bounds: [1], bucketCounts: [1, 1], exemplars: [] }] },
    ],
  }],
};

test('each metric is printed as one JSON line with its kind, temporality and points', () => {
  let out = '';
  let result: unknown;
  createConsoleMetricExporter((text) => (out += text)).export([collection], (r) => (result = r));
  assert.deepEqual(result, { ok: true });
  const [orders, latency] = out.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(orders.name, 'orders');
  assert.equal(orders.temporality, 'delta');
  assert.equal(orders.monotonic, true);
  assert.deepEqual(orders.points[0].attributes, { a: 'b' });
  assert.equal(orders.points[0].value, 3);
  assert.equal(orders.points[0].time, '2023-11-14T22:14:20.000000Z');
  assert.equal(orders.service, 'svc');
  assert.equal(latency.kind, 'histogram');
  assert.equal(latency.temporality, 'cumulative');
  assert.deepEqual(latency.points[0].bucket_counts, [1, 1]);
  assert.equal(latency.points[0].min, 0.5);
});

test('a collection without metrics prints nothing', () => {
  let out = '';
  createConsoleMetricExporter((text) => (out += text)).export([{ resource: { attributes: {} }, scopeMetrics: [] }], () => undefined);
  assert.equal(out, '');
});
