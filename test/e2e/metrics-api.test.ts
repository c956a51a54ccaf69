// An app that records metrics through @opentelemetry/api gets them exported over OTLP, every
// protocol, decoded by a real receiver with the official schema, including on process.exit().

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, HttpReceiver, type FlatMetric } from '../support/otlp-receiver.js';
import { FIXTURES, runCli } from '../support/run-cli.js';

const APP = ['node', join(FIXTURES, 'api-metrics.js')];

function byName(metrics: FlatMetric[]): Map<string, FlatMetric> {
  return new Map(metrics.map((m) => [m.name, m]));
}

function assertAllInstruments(metrics: FlatMetric[], temporality: number): void {
  const m = byName(metrics);
  const orders = m.get('shop.orders')!;
  assert.equal(orders.kind, 'sum');
  assert.equal(orders.isMonotonic, true);
  assert.equal(orders.temporality, temporality);
  assert.equal(orders.unit, '{order}');
  assert.equal(orders.description, 'orders placed');
  const card = orders.points.find((p) => p.attributes.method === 'card')!;
  assert.equal(Number(card.value), 5);
  assert.equal(orders.scope.name, 'shop');
  assert.equal(orders.scope.version, '2.0.0');

  const carts = m.get('shop.carts.open')!;
  assert.equal(carts.isMonotonic, false);
  assert.equal(carts.temporality, 2, 'up-down counters stay cumulative under delta');
  assert.equal(Number(carts.points[0]!.value), 3);
  assert.equal(carts.points[0]!.valueType, 'int');

  const latency = m.get('shop.checkout.duration')!;
  assert.equal(latency.kind, 'histogram');
  assert.equal(latency.temporality, temporality);
  const point = latency.points[0]!;
  assert.equal(Number(point.count), 4);
  assert.equal(point.sum, 2.65);
  assert.equal(point.min, 0.05);
  assert.equal(point.max, 2);
  assert.deepEqual(point.explicitBounds, [0.1, 0.5, 1]);
  assert.deepEqual(point.bucketCounts!.map(Number), [1, 2, 0, 1]);

  assert.equal(m.get('shop.oven.temperature')!.kind, 'gauge');
  assert.equal(m.get('shop.oven.temperature')!.points[0]!.value, 180.5);
  assert.equal(Number(m.get('shop.visits')!.points[0]!.value), 42);
  assert.equal(m.get('shop.visits')!.points[0]!.attributes.source, 'web');
  assert.equal(Number(m.get('shop.stock')!.points[0]!.value), -3);
  assert.equal(m.get('shop.queue.length')!.points[0]!.value, 7.5);
  assert.equal(orders.resource['service.name'], 'shop-metrics');
}

test('API metrics arrive over grpc when the app ends, every instrument kind with its data', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['--service_name', 'shop-metrics', '--traces_exporter', 'none', ...APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stdout, 'recorded\n');
    assertAllInstruments(await receiver.waitForMetrics(7), 2);
  } finally {
    await receiver.close();
  }
});

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`API metrics arrive over ${protocol} at /v1/metrics, with delta temporality when preferred`, async () => {
    const receiver = await HttpReceiver.start();
    try {
      const exit = await runCli(['--service_name', 'shop-metrics', '--traces_exporter', 'none', ...APP], {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      });
      assert.equal(exit.code, 0, exit.stderr);
      assertAllInstruments(await receiver.waitForMetrics(7), 1);
      assert.ok(receiver.requests.some((r) => r.path === '/v1/metrics'));
      assert.ok(receiver.requests.every((r) => r.path === '/v1/metrics' || r.path === '/v1/logs'));
    } finally {
      await receiver.close();
    }
  });
}

test('metrics recorded just before process.exit(5) still arrive, and the exit code is kept', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['--service_name', 'shop-metrics', '--traces_exporter', 'none', ...APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      EXIT_NOW: '1',
      EXIT_CODE: '5',
    });
    assert.equal(exit.code, 5);
    assertAllInstruments(await receiver.waitForMetrics(7), 2);
  } finally {
    await receiver.close();
  }
});

test('--metrics_exporter none exports no metrics', async () => {
  const receiver = await GrpcReceiver.start();
  try {
    const exit = await runCli(['--metrics_exporter', 'none', '--traces_exporter', 'none', ...APP], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.equal(exit.code, 0, exit.stderr);
    assert.deepEqual(receiver.requests.filter((r) => r.signal !== 'logs'), []);
  } finally {
    await receiver.close();
  }
});
