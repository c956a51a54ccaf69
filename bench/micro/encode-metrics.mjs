// Microbenchmark: encode one collection of 100 histograms x 20 points (HTTP-server-duration-like: 5 attributes,
// the 15 default explicit bounds, min/max). Ours (protobuf + JSON) vs the official
// @opentelemetry/otlp-transformer@0.57.2 serializers on the same data (which has no exemplars: the official
// serializer does not write them); then ours again with an exemplar on every 4th point.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/encode-metrics.mjs [trials=7] [ms-per-trial=1000]
// Then, in a child process, heap bytes allocated per encoded point (measureAllocation below).

import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { resource, resourceAttributes, ROUTES, scope } from './fixture-data.mjs';
import { inAllocationChild, measureAllocation, measureBatches, runAllocationChild } from './measure.mjs';

const require = createRequire(import.meta.url);
const { encodeMetricsRequest } = require('../../dist/src/export/otlp/encode-protobuf/metrics.js');
const { encodeMetricsRequestJson } = require('../../dist/src/export/otlp/encode-json/metrics.js');
let official;
try {
  official = require('@opentelemetry/otlp-transformer');
} catch {
  official = undefined;
}

const METRICS = 100;
const POINTS = 20;
const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);

const BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

function makeCollection(withExemplars) {
  const startTime = [1_700_000_000, 123_456_789];
  const time = [1_700_000_060, 987_654_321];
  const metrics = [];
  for (let m = 0; m < METRICS; m++) {
    const points = [];
    for (let p = 0; p < POINTS; p++) {
      const bucketCounts = BOUNDS.map((_, i) => (m * 31 + p * 7 + i * 13) % 50);
      bucketCounts.push(p % 3);
      const count = bucketCounts.reduce((a, b) => a + b, 0);
      points.push({
        attributes: {
          'http.request.method': p % 4 === 0 ? 'POST' : 'GET',
          'http.route': ROUTES[p % ROUTES.length],
          'http.response.status_code': p % 10 === 0 ? 500 : 200,
          'url.scheme': 'http',
          'network.protocol.version': '1.1',
        },
        startTime,
        time,
        count,
        sum: count * 37.25,
        min: 0.5,
        max: 9876.5,
        bounds: BOUNDS,
        bucketCounts,
        exemplars:
          withExemplars && p % 4 === 0
            ? [{ time, value: 42.5, filteredAttributes: {}, traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') }]
            : [],
      });
    }
    metrics.push({
      kind: 'histogram',
      name: `http.server.request.duration.${m}`,
      description: 'Duration of HTTP server requests.',
      unit: 'ms',
      valueType: 'double',
      temporality: 2,
      points,
    });
  }
  return { resource, scopeMetrics: [{ scope, metrics }] };
}

/** The same data in sdk-metrics 1.x ResourceMetrics shape (what the official serializer reads; no exemplars there). */
function toOfficialShape(rm) {
  const HISTOGRAM = 0; // sdk-metrics DataPointType.HISTOGRAM
  const CUMULATIVE = 1; // sdk-metrics AggregationTemporality.CUMULATIVE
  const DOUBLE = 1; // api ValueType.DOUBLE
  return {
    resource: { attributes: resourceAttributes, merge() { return this; } },
    scopeMetrics: rm.scopeMetrics.map((sm) => ({
      scope: sm.scope,
      metrics: sm.metrics.map((m) => ({
        descriptor: { name: m.name, description: m.description, unit: m.unit, type: 'HISTOGRAM', valueType: DOUBLE },
        aggregationTemporality: CUMULATIVE,
        dataPointType: HISTOGRAM,
        dataPoints: m.points.map((p) => ({
          attributes: p.attributes,
          startTime: p.startTime,
          endTime: p.time,
          value: { buckets: { boundaries: p.bounds, counts: p.bucketCounts }, count: p.count, sum: p.sum, min: p.min, max: p.max },
        })),
      })),
    })),
  };
}

const BATCH_POINTS = METRICS * POINTS;

function measure(name, fn) {
  return measureBatches({ name, fn, trials, trialMs, perBatch: BATCH_POINTS, unit: 'points', warmup: 20, width: 36 });
}

const ALLOCATION_BATCHES = 10;
// Allocation: heap growth while encoding, in a child with --expose-gc and a young generation big enough that
// no scavenge runs meanwhile. Throughput above keeps the default GC settings, where garbage costs time.

const batch = [makeCollection(false)];
if (inAllocationChild()) {
  measureAllocation({ name: 'ours protobuf', batches: ALLOCATION_BATCHES, fn: () => encodeMetricsRequest(batch), perBatch: BATCH_POINTS, unit: 'point', width: 36 });
  if (official) {
    const officialBatch = toOfficialShape(batch[0]);
    measureAllocation({ name: 'official ProtobufMetricsSerializer', batches: ALLOCATION_BATCHES, fn: () => official.ProtobufMetricsSerializer.serializeRequest(officialBatch), perBatch: BATCH_POINTS, unit: 'point', width: 36 });
  }
  const withExemplars = [makeCollection(true)];
  measureAllocation({ name: 'ours protobuf, 500 exemplars', batches: ALLOCATION_BATCHES, fn: () => encodeMetricsRequest(withExemplars), perBatch: BATCH_POINTS, unit: 'point', width: 36 });
  process.exit(0);
}
console.log(`node ${process.version}, ${METRICS} histograms x ${POINTS} points, ${trials} trials x ${trialMs} ms\n`);
const oursPb = measure('ours protobuf', () => encodeMetricsRequest(batch));
let theirsPb;
let theirsJson;
const officialBatch = official ? [toOfficialShape(batch[0])] : undefined;
if (official) theirsPb = measure('official ProtobufMetricsSerializer', () => official.ProtobufMetricsSerializer.serializeRequest(officialBatch[0]));
const oursJson = measure('ours JSON', () => encodeMetricsRequestJson(batch));
if (official) theirsJson = measure('official JsonMetricsSerializer', () => official.JsonMetricsSerializer.serializeRequest(officialBatch[0]));
const withExemplars = [makeCollection(true)];
measure('ours protobuf, 500 exemplars', () => encodeMetricsRequest(withExemplars));
measure('ours JSON, 500 exemplars', () => encodeMetricsRequestJson(withExemplars));
if (official) {
  console.log(`\nprotobuf: ours / official = ${(oursPb / theirsPb).toFixed(2)}x`);
  console.log(`json:     ours / official = ${(oursJson / theirsJson).toFixed(2)}x (ours quotes 64-bit counts as OTLP/JSON says; official writes bare numbers)`);
} else {
  console.log('\n@opentelemetry/otlp-transformer not installed: official serializers skipped');
}

console.log('');
runAllocationChild(import.meta.url);
