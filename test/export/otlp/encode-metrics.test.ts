import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMetricsRequestJson, encodeMetricsRequestJsonString } from '../../../src/export/otlp/encode-json/metrics.js';
import { decodeExportMetricsResponse, encodeMetricsRequest, hasMetricPoints } from '../../../src/export/otlp/encode-protobuf/metrics.js';
import {
  Temporality,
  type Exemplar,
  type GaugeMetric,
  type HistogramMetric,
  type HistogramPoint,
  type MetricData,
  type NumberPoint,
  type ResourceMetrics,
  type SumMetric,
} from '../../../src/metrics/metric-data.js';
import type { HrTime, InstrumentationScope, Resource } from '../../../src/core/types.js';
import { decodeJson, decodeProtobuf, flattenMetrics, type FlatMetric } from '../../support/otlp-receiver.js';

// The official schema (protobufjs static code generated from opentelemetry-proto).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as any;
const v1 = root.opentelemetry.proto.collector.metrics.v1;

const RESOURCE: Resource = { attributes: { 'service.name': 'metrics-test', 'process.pid': 4242 } };
const SCOPE: InstrumentationScope = { name: 'meter-a', version: '1.0.0' };
const START: HrTime = [1_700_000_123, 987_654_321]; // 1.7e18 ns: above 2^53
const TIME: HrTime = [1_700_000_183, 1];
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function point(value: number, attributes: Record<string, string | number | boolean> = {}, exemplars: Exemplar[] = []): NumberPoint {
  return { attributes, startTime: START, time: TIME, value, exemplars };
}

function sum(overrides: Partial<SumMetric> = {}): SumMetric {
  return {
    kind: 'sum',
    name: 'requests',
    description: 'Requests served',
    unit: '{request}',
    valueType: 'int',
    temporality: Temporality.Cumulative,
    isMonotonic: true,
    points: [point(5, { route: '/a' })],
    ...overrides,
  };
}

function gauge(overrides: Partial<GaugeMetric> = {}): GaugeMetric {
  return { kind: 'gauge', name: 'temperature', description: '', unit: 'Cel', valueType: 'double', points: [point(21.5)], ...overrides };
}

function histogramPoint(overrides: Partial<HistogramPoint> = {}): HistogramPoint {
  return {
    attributes: { 'http.route': '/users' },
    startTime: START,
    time: TIME,
    count: 6,
    sum: 123.25,
    min: 0.5,
    max: 99.75,
    bounds: [0, 5, 10, 100],
    bucketCounts: [0, 2, 1, 3, 0],
    exemplars: [],
    ...overrides,
  };
}

function histogram(overrides: Partial<HistogramMetric> = {}): HistogramMetric {
  return {
    kind: 'histogram',
    name: 'http.server.request.duration',
    description: 'Duration of HTTP server requests',
    unit: 's',
    valueType: 'double',
    temporality: Temporality.Delta,
    points: [histogramPoint()],
    ...overrides,
  };
}

function batchOf(...metrics: MetricData[]): ResourceMetrics[] {
  return [{ resource: RESOURCE, scopeMetrics: [{ scope: SCOPE, metrics }] }];
}

/** Protobuf through the official schema, flattened. */
function viaProtobuf(batch: readonly ResourceMetrics[]): FlatMetric[] {
  return flattenMetrics(decodeProtobuf('metrics', Buffer.from(encodeMetricsRequest(batch))));
}

/** OTLP/JSON through the official schema's fromObject, flattened. */
function viaJson(batch: readonly ResourceMetrics[]): FlatMetric[] {
  return flattenMetrics(decodeJson('metrics', Buffer.from(encodeMetricsRequestJson(batch))));
}

function nanos(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

/** A batch touching every field the encoders write. */
function everything(): ResourceMetrics[] {
  const exemplar: Exemplar = { time: [1_700_000_150, 500], value: 42.5, filteredAttributes: { user: 'u1' }, traceId: TRACE_ID, spanId: SPAN_ID };
  return [
    {
      resource: { attributes: { 'service.name': 'svc', n: 1 }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      scopeMetrics: [
        {
          scope: { name: 'meter-a', version: '2.0.0', schemaUrl: 'https://opentelemetry.io/schemas/1.25.0' },
          metrics: [
            sum({ points: [point(7, { a: 'x' }, [{ ...exemplar, value: -3 }]), point(-9_007_199_254_740_991, { a: 'y' })] }),
            sum({ name: 'up-down', valueType: 'double', isMonotonic: false, temporality: Temporality.Delta, points: [point(-0.25), point(NaN)] }),
            gauge({ points: [point(Infinity, { room: 'k' }, [exemplar])] }),
            gauge({ name: 'int-gauge', valueType: 'int', points: [point(-2_147_483_648)] }),
            histogram({ points: [histogramPoint({ exemplars: [exemplar, { ...exemplar, traceId: undefined, spanId: undefined }] })] }),
            histogram({ name: 'no-min-max', valueType: 'int', points: [histogramPoint({ min: undefined, max: undefined, bounds: [], bucketCounts: [6] })] }),
          ],
        },
      ],
    },
  ];
}

test('int sums round-trip through the official schema as as_int with kind, temporality and monotonicity', () => {
  const [m] = viaProtobuf(batchOf(sum({ points: [point(5, { route: '/a', ok: true }), point(0, { route: '/b' })] })));
  assert.equal(m.name, 'requests');
  assert.equal(m.description, 'Requests served');
  assert.equal(m.unit, '{request}');
  assert.equal(m.kind, 'sum');
  assert.equal(m.temporality, 2);
  assert.equal(m.isMonotonic, true);
  assert.deepEqual(m.resource, { 'service.name': 'metrics-test', 'process.pid': 4242 });
  assert.deepEqual(m.scope, { name: 'meter-a', version: '1.0.0' });
  assert.deepEqual(
    m.points.map((p) => [p.attributes, p.value, p.valueType, p.startTimeUnixNano, p.timeUnixNano]),
    [
      [{ route: '/a', ok: true }, 5, 'int', nanos(START), nanos(TIME)],
      [{ route: '/b' }, 0, 'int', nanos(START), nanos(TIME)],
    ],
  );
});

test('double sums round-trip as as_double, non-monotonic and delta', () => {
  const [m] = viaProtobuf(batchOf(sum({ valueType: 'double', isMonotonic: false, temporality: Temporality.Delta, points: [point(1.5), point(-2.25)] })));
  assert.equal(m.kind, 'sum');
  assert.equal(m.temporality, 1);
  assert.equal(m.isMonotonic, false);
  assert.deepEqual(
    m.points.map((p) => [p.value, p.valueType]),
    [
      [1.5, 'double'],
      [-2.25, 'double'],
    ],
  );
});

test('a monotonic delta sum and a non-monotonic cumulative sum keep both properties', () => {
  const flat = viaProtobuf(
    batchOf(sum({ name: 'a', temporality: Temporality.Delta, isMonotonic: true }), sum({ name: 'b', temporality: Temporality.Cumulative, isMonotonic: false })),
  );
  assert.deepEqual(
    flat.map((m) => [m.name, m.temporality, m.isMonotonic]),
    [
      ['a', 1, true],
      ['b', 2, false],
    ],
  );
});

test('gauges round-trip with no temporality, as_double or as_int by value type', () => {
  const flat = viaProtobuf(batchOf(gauge(), gauge({ name: 'heap', unit: 'By', valueType: 'int', points: [point(123_456_789_012)] })));
  assert.deepEqual(
    flat.map((m) => [m.kind, m.name, m.unit, m.description, m.temporality, m.isMonotonic, m.points[0].value, m.points[0].valueType]),
    [
      ['gauge', 'temperature', 'Cel', '', 0, false, 21.5, 'double'],
      ['gauge', 'heap', 'By', '', 0, false, 123_456_789_012, 'int'],
    ],
  );
});

test('histograms round-trip count, sum, min, max, explicit bounds, bucket counts and temporality', () => {
  const [m] = viaProtobuf(batchOf(histogram()));
  assert.equal(m.kind, 'histogram');
  assert.equal(m.temporality, 1);
  assert.equal(m.unit, 's');
  const [p] = m.points;
  assert.deepEqual(p.attributes, { 'http.route': '/users' });
  assert.equal(p.count, 6);
  assert.equal(p.sum, 123.25);
  assert.equal(p.min, 0.5);
  assert.equal(p.max, 99.75);
  assert.deepEqual(p.explicitBounds, [0, 5, 10, 100]);
  assert.deepEqual(p.bucketCounts, [0, 2, 1, 3, 0]);
  assert.equal(p.startTimeUnixNano, nanos(START));
  assert.equal(p.timeUnixNano, nanos(TIME));
  assert.deepEqual(p.exemplars, []);
});

test('histograms without min and max leave the optional fields unset; a zero sum is still sent', () => {
  const [m] = viaProtobuf(batchOf(histogram({ points: [histogramPoint({ count: 0, sum: 0, min: undefined, max: undefined, bucketCounts: [0, 0, 0, 0, 0] })] })));
  const [p] = m.points;
  assert.equal(p.min, undefined);
  assert.equal(p.max, undefined);
  assert.equal(p.sum, 0);
  assert.equal(p.count, 0);
  assert.deepEqual(p.bucketCounts, [0, 0, 0, 0, 0]);
  const raw = v1.ExportMetricsServiceRequest.decode(encodeMetricsRequest(batchOf(histogram({ points: [histogramPoint({ min: undefined, max: undefined })] }))));
  const dp = raw.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0];
  assert.equal(Object.hasOwn(dp, 'min'), false);
  assert.equal(Object.hasOwn(dp, 'max'), false);
  assert.equal(Object.hasOwn(dp, 'sum'), true);
});

test('a histogram without bounds has a single bucket and no explicit_bounds', () => {
  const [m] = viaProtobuf(batchOf(histogram({ points: [histogramPoint({ bounds: [], bucketCounts: [6] })] })));
  assert.deepEqual(m.points[0].bucketCounts, [6]);
  assert.deepEqual(m.points[0].explicitBounds, []);
});

test('bucket counts and counts above 2^32 and 2^53 stay exact as fixed64', () => {
  const big = 2 ** 53 + 2; // exactly representable
  const [m] = viaProtobuf(batchOf(histogram({ points: [histogramPoint({ count: big, bounds: [1], bucketCounts: [2 ** 32 + 7, 2 ** 53 + 4] })] })));
  assert.equal(m.points[0].count, (2n ** 53n + 2n).toString());
  assert.deepEqual(m.points[0].bucketCounts, [2 ** 32 + 7, (2n ** 53n + 4n).toString()]);
});

test('exemplars round-trip with hex trace and span ids, time, value and filtered attributes', () => {
  const ex: Exemplar = { time: [1_700_000_150, 999_999_999], value: 0.125, filteredAttributes: { 'user.id': 'u1', n: 2 }, traceId: TRACE_ID, spanId: SPAN_ID };
  const bare: Exemplar = { time: [1_700_000_151, 0], value: 3, filteredAttributes: {}, traceId: undefined, spanId: undefined };
  const [h, s] = viaProtobuf(
    batchOf(histogram({ points: [histogramPoint({ exemplars: [ex, bare] })] }), sum({ points: [point(9, {}, [{ ...ex, value: -7 }])] })),
  );
  assert.deepEqual(h.points[0].exemplars, [
    { timeUnixNano: '1700000150999999999', value: 0.125, valueType: 'double', traceId: TRACE_ID, spanId: SPAN_ID, filteredAttributes: { 'user.id': 'u1', n: 2 } },
    { timeUnixNano: '1700000151000000000', value: 3, valueType: 'double', traceId: '', spanId: '', filteredAttributes: {} },
  ]);
  // An int instrument's exemplars are as_int too.
  assert.deepEqual(s.points[0].exemplars, [
    { timeUnixNano: '1700000150999999999', value: -7, valueType: 'int', traceId: TRACE_ID, spanId: SPAN_ID, filteredAttributes: { 'user.id': 'u1', n: 2 } },
  ]);
});

test('negative and large as_int values are exact sfixed64 two\'s complement', () => {
  const values = [-1, -2, -255, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 32), -(2 ** 32) - 1, -(2 ** 53) + 1, -(2 ** 53) - 2, -(2 ** 63), 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 60, 2 ** 63 - 1024];
  const [m] = viaProtobuf(batchOf(sum({ isMonotonic: false, points: values.map((v) => point(v)) })));
  assert.deepEqual(
    m.points.map((p) => String(p.value)),
    values.map((v) => BigInt(v).toString()),
  );
  for (const p of m.points) assert.equal(p.valueType, 'int');
  // Independently of the flattener: the official decoder's signed Long.
  const raw = v1.ExportMetricsServiceRequest.decode(encodeMetricsRequest(batchOf(sum({ points: [point(-5)] }))));
  assert.equal(raw.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asInt.toString(), '-5');
});

test('an int instrument value that is not an int64 goes out as as_double instead of being corrupted', () => {
  const [m] = viaProtobuf(batchOf(sum({ points: [point(1.5), point(2 ** 64), point(NaN)] })));
  assert.deepEqual(
    m.points.map((p) => [p.value, p.valueType]),
    [
      [1.5, 'double'],
      [2 ** 64, 'double'],
      [NaN, 'double'],
    ],
  );
});

test('timestamps are exact 64-bit nanoseconds', () => {
  const times: HrTime[] = [
    [0, 0],
    [9_007_199, 254_740_993], // 2^53 + 1 ns
    [1_999_999_999, 999_999_999],
    [4_611_686_018, 5], // BigInt fallback range
  ];
  const [m] = viaProtobuf(batchOf(gauge({ points: times.map((t) => ({ attributes: {}, startTime: t, time: t, value: 1, exemplars: [] })) })));
  assert.deepEqual(
    m.points.map((p) => [p.startTimeUnixNano, p.timeUnixNano]),
    times.map((t) => [nanos(t), nanos(t)]),
  );
});

test('entries sharing a resource are merged, scopes equal by name, version and schema URL are merged, order is kept', () => {
  const other: Resource = { attributes: { 'service.name': 'other' } };
  const scopeB: InstrumentationScope = { name: 'meter-b' };
  const batch: ResourceMetrics[] = [
    { resource: RESOURCE, scopeMetrics: [{ scope: SCOPE, metrics: [sum({ name: 'm1' })] }, { scope: scopeB, metrics: [gauge({ name: 'm2' })] }] },
    { resource: other, scopeMetrics: [{ scope: SCOPE, metrics: [sum({ name: 'm3' })] }] },
    // Same resource object again, and a distinct but equal scope object.
    { resource: RESOURCE, scopeMetrics: [{ scope: { name: 'meter-a', version: '1.0.0' }, metrics: [histogram({ name: 'm4' })] }] },
    // Same name, different version: its own scope.
    { resource: RESOURCE, scopeMetrics: [{ scope: { name: 'meter-a', version: '2.0.0' }, metrics: [sum({ name: 'm5' })] }] },
  ];
  const body = decodeProtobuf('metrics', Buffer.from(encodeMetricsRequest(batch)));
  const shape = body.resourceMetrics.map((rm: any) => [
    rm.resource.attributes.find((kv: any) => kv.key === 'service.name').value.stringValue,
    rm.scopeMetrics.map((sm: any) => [sm.scope.name, sm.scope.version ?? '', sm.metrics.map((m: any) => m.name)]),
  ]);
  assert.deepEqual(shape, [
    [
      'metrics-test',
      [
        ['meter-a', '1.0.0', ['m1', 'm4']],
        ['meter-b', '', ['m2']],
        ['meter-a', '2.0.0', ['m5']],
      ],
    ],
    ['other', [['meter-a', '1.0.0', ['m3']]]],
  ]);
});

test('schema URLs of resource and scope are sent', () => {
  const [m] = viaProtobuf(everything());
  assert.equal(m.resourceSchemaUrl, 'https://opentelemetry.io/schemas/1.26.0');
  assert.equal(m.scopeSchemaUrl, 'https://opentelemetry.io/schemas/1.25.0');
  assert.deepEqual(m.scope, { name: 'meter-a', version: '2.0.0' });
});

test('metrics without points, and scopes and resources left empty, are not sent', () => {
  const empty: ResourceMetrics[] = [
    { resource: RESOURCE, scopeMetrics: [{ scope: SCOPE, metrics: [sum({ points: [] }), histogram({ points: [] })] }, { scope: { name: 'none' }, metrics: [] }] },
    { resource: { attributes: {} }, scopeMetrics: [] },
  ];
  assert.equal(hasMetricPoints(empty), false);
  assert.equal(encodeMetricsRequest(empty).length, 0);
  assert.equal(encodeMetricsRequestJsonString(empty), '{"resourceMetrics":[]}');
  assert.equal(encodeMetricsRequest([]).length, 0);

  const mixed: ResourceMetrics[] = [
    ...empty,
    { resource: RESOURCE, scopeMetrics: [{ scope: { name: 'empty-scope' }, metrics: [gauge({ points: [] })] }, { scope: SCOPE, metrics: [gauge({ name: 'kept' })] }] },
  ];
  assert.equal(hasMetricPoints(mixed), true);
  const body = decodeProtobuf('metrics', Buffer.from(encodeMetricsRequest(mixed)));
  assert.equal(body.resourceMetrics.length, 1);
  assert.deepEqual(
    body.resourceMetrics[0].scopeMetrics.map((sm: any) => [sm.scope.name, sm.metrics.map((m: any) => m.name)]),
    [['meter-a', ['kept']]],
  );
});

test('the encoding is as compact as the official encoder (packed repeated fields, nothing extra)', () => {
  const ours = encodeMetricsRequest(everything());
  const type = v1.ExportMetricsServiceRequest;
  const reencoded = type.encode(type.decode(ours)).finish();
  assert.equal(ours.length, reencoded.length);
  // And the official re-encoding decodes to the same data.
  assert.deepEqual(flattenMetrics(decodeProtobuf('metrics', Buffer.from(reencoded))), viaProtobuf(everything()));
});

test('ExportMetricsServiceResponse partial_success is decoded', () => {
  const type = v1.ExportMetricsServiceResponse;
  const bytes = type.encode(type.fromObject({ partialSuccess: { rejectedDataPoints: 17, errorMessage: 'bad unit' } })).finish();
  assert.deepEqual(decodeExportMetricsResponse(bytes), { partialSuccess: { rejectedDataPoints: 17, errorMessage: 'bad unit' } });
  assert.deepEqual(decodeExportMetricsResponse(new Uint8Array(0)), {});
});

// ---- OTLP/JSON ----

test('OTLP/JSON decodes with the official schema to exactly what the protobuf encoding decodes to', () => {
  const batch = everything();
  assert.deepEqual(viaJson(batch), viaProtobuf(batch));
  const merged: ResourceMetrics[] = [...batchOf(sum({ name: 'a' })), ...batchOf(gauge({ name: 'b' })), { resource: { attributes: {} }, scopeMetrics: [] }];
  assert.deepEqual(viaJson(merged), viaProtobuf(merged));
});

test('OTLP/JSON uses lowerCamelCase keys, integer enums, hex ids and decimal strings for 64-bit integers', () => {
  const ex: Exemplar = { time: [1_700_000_150, 5], value: -3, filteredAttributes: { k: 'v' }, traceId: TRACE_ID, spanId: SPAN_ID };
  const json = JSON.parse(
    encodeMetricsRequestJsonString(
      batchOf(
        sum({ points: [point(-(2 ** 53) - 2, { a: 1 }, [ex])] }),
        gauge({ points: [point(0.5)] }),
        histogram({ valueType: 'int', points: [histogramPoint({ count: 2 ** 53 + 2, exemplars: [ex] })] }),
      ),
    ),
  );
  const [rm] = json.resourceMetrics;
  assert.deepEqual(rm.resource, {
    attributes: [
      { key: 'service.name', value: { stringValue: 'metrics-test' } },
      { key: 'process.pid', value: { intValue: '4242' } },
    ],
  });
  const [sm] = rm.scopeMetrics;
  assert.deepEqual(sm.scope, { name: 'meter-a', version: '1.0.0' });
  const [s, g, h] = sm.metrics;
  assert.deepEqual(s, {
    name: 'requests',
    description: 'Requests served',
    unit: '{request}',
    sum: {
      dataPoints: [
        {
          startTimeUnixNano: '1700000123987654321',
          timeUnixNano: '1700000183000000001',
          asInt: '-9007199254740994',
          exemplars: [
            { timeUnixNano: '1700000150000000005', asInt: '-3', spanId: SPAN_ID, traceId: TRACE_ID, filteredAttributes: [{ key: 'k', value: { stringValue: 'v' } }] },
          ],
          attributes: [{ key: 'a', value: { intValue: '1' } }],
        },
      ],
      aggregationTemporality: 2,
      isMonotonic: true,
    },
  });
  assert.deepEqual(g, {
    name: 'temperature',
    unit: 'Cel',
    gauge: { dataPoints: [{ startTimeUnixNano: '1700000123987654321', timeUnixNano: '1700000183000000001', asDouble: 0.5 }] },
  });
  assert.deepEqual(h.histogram.aggregationTemporality, 1);
  assert.deepEqual(h.histogram.dataPoints[0], {
    startTimeUnixNano: '1700000123987654321',
    timeUnixNano: '1700000183000000001',
    count: '9007199254740994',
    sum: 123.25,
    bucketCounts: ['0', '2', '1', '3', '0'],
    explicitBounds: [0, 5, 10, 100],
    exemplars: [{ timeUnixNano: '1700000150000000005', asInt: '-3', spanId: SPAN_ID, traceId: TRACE_ID, filteredAttributes: [{ key: 'k', value: { stringValue: 'v' } }] }],
    attributes: [{ key: 'http.route', value: { stringValue: '/users' } }],
    min: 0.5,
    max: 99.75,
  });
  assert.equal('isMonotonic' in h.histogram, false);
});

test('OTLP/JSON spells non-finite doubles as proto3 JSON strings and omits false/empty defaults', () => {
  const json = JSON.parse(
    encodeMetricsRequestJsonString(
      batchOf(
        sum({ description: '', unit: '', valueType: 'double', isMonotonic: false, points: [point(NaN), point(Infinity), point(-Infinity)] }),
        histogram({ points: [histogramPoint({ min: undefined, max: undefined, bounds: [], bucketCounts: [6], attributes: {} })] }),
      ),
    ),
  );
  const [s, h] = json.resourceMetrics[0].scopeMetrics[0].metrics;
  assert.deepEqual(Object.keys(s), ['name', 'sum']);
  assert.deepEqual(
    s.sum.dataPoints.map((p: any) => p.asDouble),
    ['NaN', 'Infinity', '-Infinity'],
  );
  assert.equal('isMonotonic' in s.sum, false);
  assert.deepEqual(Object.keys(h.histogram.dataPoints[0]), ['startTimeUnixNano', 'timeUnixNano', 'count', 'sum', 'bucketCounts']);
});

test('OTLP/JSON stays exact for distinct times and bounds per point, non-finite bounds and out-of-range counts', () => {
  const shared = [1, 2, 3];
  const t1: HrTime = [1_700_000_001, 1];
  const t2: HrTime = [1_700_000_002, 2];
  const t3: HrTime = [1_700_000_003, 3];
  const batch = batchOf(
    histogram({
      points: [
        histogramPoint({ startTime: t1, time: t2, bounds: shared, bucketCounts: [1, 2, 3, 4] }),
        histogramPoint({ startTime: t2, time: t3, bounds: [10, 20, 30], bucketCounts: [2 ** 53 + 4, -1, 1.5, 0] }),
        histogramPoint({ startTime: t3, time: t1, bounds: shared, bucketCounts: [0, 0, 0, 1] }),
        histogramPoint({ startTime: t1, time: t1, bounds: [-Infinity, 0, Infinity], bucketCounts: [0, 1, 0, 0], sum: NaN }),
      ],
    }),
  );
  const json = viaJson(batch);
  assert.deepEqual(json, viaProtobuf(batch));
  const points = json[0].points;
  assert.deepEqual(
    points.map((p) => [p.startTimeUnixNano, p.timeUnixNano]),
    [
      [nanos(t1), nanos(t2)],
      [nanos(t2), nanos(t3)],
      [nanos(t3), nanos(t1)],
      [nanos(t1), nanos(t1)],
    ],
  );
  assert.deepEqual(
    points.map((p) => p.explicitBounds),
    [[1, 2, 3], [10, 20, 30], [1, 2, 3], [-Infinity, 0, Infinity]],
  );
  assert.deepEqual(points[1].bucketCounts, [(2n ** 53n + 4n).toString(), 0, 1, 0]);
  assert.ok(Number.isNaN(points[3].sum));
  // A bounds array changed in place between two encodes is read afresh.
  shared[0] = 0.5;
  assert.deepEqual(viaJson(batch)[0].points[0].explicitBounds, [0.5, 2, 3]);
});
