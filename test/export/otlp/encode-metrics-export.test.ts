import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exporter, ExportResult } from '../../../src/core/export-result.js';
import { createOtlpMetricsExporter } from '../../../src/export/otlp/otlp-exporter.js';
import { METRICS_SERVICE_PATH } from '../../../src/export/otlp/transport/grpc-paths.js';
import { Temporality, type ResourceMetrics } from '../../../src/metrics/metric-data.js';
import { FAST_BACKOFF, otlpConfig, withDiag } from '../../support/exporter-helpers.js';
import { startGrpcReceiver, startHttpReceiver, TEST_RESOURCE, TEST_SCOPE, type FlatMetric } from '../../support/otlp-receiver.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** One collection by hand: an int counter, a double gauge and a histogram with an exemplar. */
function collection(): ResourceMetrics {
  const start: [number, number] = [1_700_000_000, 123_456_789];
  const time: [number, number] = [1_700_000_060, 987_654_321];
  return {
    resource: TEST_RESOURCE,
    scopeMetrics: [
      {
        scope: TEST_SCOPE,
        metrics: [
          {
            kind: 'sum',
            name: 'jobs.done',
            description: 'Jobs done',
            unit: '{job}',
            valueType: 'int',
            temporality: Temporality.Cumulative,
            isMonotonic: true,
            points: [
              { attributes: { queue: 'a' }, startTime: start, time, value: 12, exemplars: [] },
              { attributes: { queue: 'b' }, startTime: start, time, value: -3, exemplars: [] },
            ],
          },
          {
            kind: 'gauge',
            name: 'load',
            description: '',
            unit: '1',
            valueType: 'double',
            points: [{ attributes: {}, startTime: start, time, value: 0.75, exemplars: [] }],
          },
          {
            kind: 'histogram',
            name: 'http.server.request.duration',
            description: 'Duration of HTTP server requests',
            unit: 's',
            valueType: 'double',
            temporality: Temporality.Delta,
            points: [
              {
                attributes: { 'http.route': '/users/:id' },
                startTime: start,
                time,
                count: 3,
                sum: 0.6,
                min: 0.1,
                max: 0.3,
                bounds: [0.1, 0.25, 0.5],
                bucketCounts: [1, 1, 1, 0],
                exemplars: [{ time, value: 0.3, filteredAttributes: {}, traceId: TRACE_ID, spanId: SPAN_ID }],
              },
            ],
          },
        ],
      },
    ],
  };
}

function exportOnce(exporter: Exporter<ResourceMetrics>, batch: ResourceMetrics[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(batch, resolve));
}

function assertCollection(metrics: FlatMetric[]): void {
  assert.deepEqual(
    metrics.map((m) => [m.name, m.kind, m.unit, m.temporality, m.isMonotonic]),
    [
      ['jobs.done', 'sum', '{job}', 2, true],
      ['load', 'gauge', '1', 0, false],
      ['http.server.request.duration', 'histogram', 's', 1, false],
    ],
  );
  const [sum, gauge, hist] = metrics;
  assert.deepEqual(
    sum.points.map((p) => [p.attributes, p.value, p.valueType, p.startTimeUnixNano, p.timeUnixNano]),
    [
      [{ queue: 'a' }, 12, 'int', '1700000000123456789', '1700000060987654321'],
      [{ queue: 'b' }, -3, 'int', '1700000000123456789', '1700000060987654321'],
    ],
  );
  assert.equal(gauge.points[0].value, 0.75);
  assert.equal(gauge.points[0].valueType, 'double');
  const [hp] = hist.points;
  assert.deepEqual(
    [hp.attributes, hp.count, hp.sum, hp.min, hp.max, hp.explicitBounds, hp.bucketCounts],
    [{ 'http.route': '/users/:id' }, 3, 0.6, 0.1, 0.3, [0.1, 0.25, 0.5], [1, 1, 1, 0]],
  );
  assert.deepEqual(hp.exemplars, [
    { timeUnixNano: '1700000060987654321', value: 0.3, valueType: 'double', traceId: TRACE_ID, spanId: SPAN_ID, filteredAttributes: {} },
  ]);
  for (const m of metrics) {
    assert.deepEqual(m.resource, { 'service.name': 'otlp-test' });
    assert.deepEqual(m.scope, { name: 'test-scope', version: '1.2.3' });
  }
}

test('metrics exported over gRPC reach the MetricsService and decode with the official schema', async () => {
  const receiver = await startGrpcReceiver();
  try {
    const exporter = createOtlpMetricsExporter(otlpConfig('grpc', receiver.url, { headers: { 'x-api-key': 'k' } }));
    const result = await exportOnce(exporter, [collection()]);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    const req = receiver.requests[0];
    assert.equal(req.signal, 'metrics');
    assert.equal(req.path, METRICS_SERVICE_PATH);
    assert.equal(req.decodeError, undefined);
    assert.equal(req.headers['x-api-key'], 'k');
    assertCollection(await receiver.waitForMetrics(3));
  } finally {
    await receiver.close();
  }
});

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  for (const compression of ['none', 'gzip'] as const) {
    test(`metrics exported over ${protocol} (compression ${compression}) arrive at /v1/metrics and decode with the official schema`, async () => {
      const receiver = await startHttpReceiver();
      try {
        const exporter = createOtlpMetricsExporter(otlpConfig(protocol, receiver.signalUrl('metrics'), { compression }));
        const result = await exportOnce(exporter, [collection()]);
        await exporter.shutdown();
        assert.deepEqual(result, { ok: true });
        const req = receiver.requests[0];
        assert.equal(req.path, '/v1/metrics');
        assert.equal(req.signal, 'metrics');
        assert.equal(req.decodeError, undefined);
        assert.equal(req.compressed, compression === 'gzip');
        assert.equal(req.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        assertCollection(await receiver.waitForMetrics((m) => m.some((x) => x.kind === 'histogram')));
      } finally {
        await receiver.close();
      }
    });
  }
}

test('two collections in one batch share one resource entry in one request', async () => {
  const receiver = await startHttpReceiver();
  try {
    const exporter = createOtlpMetricsExporter(otlpConfig('http/protobuf', receiver.signalUrl('metrics')));
    const result = await exportOnce(exporter, [collection(), collection()]);
    await exporter.shutdown();
    assert.deepEqual(result, { ok: true });
    assert.equal(receiver.requests.length, 1);
    assert.equal(receiver.requests[0].body.resourceMetrics.length, 1);
    assert.equal(receiver.requests[0].body.resourceMetrics[0].scopeMetrics.length, 1);
    assert.equal(receiver.metrics().length, 6);
  } finally {
    await receiver.close();
  }
});

test('a batch without a single data point succeeds without sending anything', async () => {
  const receiver = await startHttpReceiver();
  try {
    const exporter = createOtlpMetricsExporter(otlpConfig('http/protobuf', receiver.signalUrl('metrics')));
    const empty: ResourceMetrics = {
      resource: TEST_RESOURCE,
      scopeMetrics: [{ scope: TEST_SCOPE, metrics: [{ kind: 'gauge', name: 'g', description: '', unit: '', valueType: 'int', points: [] }] }],
    };
    assert.deepEqual(await exportOnce(exporter, [empty]), { ok: true });
    assert.deepEqual(await exportOnce(exporter, []), { ok: true });
    await exporter.shutdown();
    assert.equal(receiver.requests.length, 0);
    // After shutdown, even an empty batch reports the shutdown.
    const after = await exportOnce(exporter, [empty]);
    assert.equal(after.ok, false);
  } finally {
    await receiver.close();
  }
});

test('a partial success names rejected data points in the warning', async () => {
  const receiver = await startGrpcReceiver();
  try {
    receiver.respond({ partialSuccess: { rejected: 2, errorMessage: 'unit not allowed' } });
    await withDiag(async (log) => {
      const exporter = createOtlpMetricsExporter(otlpConfig('grpc', receiver.url), { backoff: FAST_BACKOFF });
      const result = await exportOnce(exporter, [collection()]);
      await exporter.shutdown();
      assert.deepEqual(result, { ok: true });
      const partial = log.warn.filter((m) => m.includes('partially'));
      assert.equal(partial.length, 1);
      assert.match(partial[0], /metrics partially: 2 data points rejected: unit not allowed/);
    });
  } finally {
    await receiver.close();
  }
});
