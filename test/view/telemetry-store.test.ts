// The viewer's store: bounded (whole traces leave, the first received first; logs the oldest first),
// trace summaries (root, route, errors) and filters, the metric queries' percentiles and rates, and the
// snapshot file that keeps it across a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbClientSeries, httpServerSeries, quantile, runtimeSeries } from '../../src/view/metric-queries.js';
import { readSnapshot, writeSnapshot } from '../../src/view/snapshot-file.js';
import { TelemetryStore } from '../../src/view/telemetry-store.js';

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const str = (v: string) => ({ stringValue: v });
const traceHex = (n: number): string => n.toString(16).padStart(32, '0');
const spanHex = (n: number): string => n.toString(16).padStart(16, '0');

/** A decoded trace request (otlp-schema TO_OBJECT shape) with `count` spans of trace `t`, the first the root. */
function traceBody(t: number, count: number, route = '/r/:id', error = false): any {
  const spans = [];
  for (let i = 0; i < count; i++) {
    spans.push({
      traceId: b64(traceHex(t)),
      spanId: b64(spanHex(t * 1000 + i + 1)),
      parentSpanId: i === 0 ? undefined : b64(spanHex(t * 1000 + 1)),
      name: i === 0 ? `GET ${route}` : `child ${i}`,
      kind: i === 0 ? 2 : 1,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(t) * 1_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(t) * 1_000_000_000n + 5_000_000n),
      attributes: i === 0 ? [{ key: 'http.route', value: str(route) }] : [{ key: 'user', value: str(`alice-${t}`) }],
      status: error && i === 1 ? { code: 2, message: 'bad' } : undefined,
    });
  }
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: str('svc') }] }, scopeSpans: [{ scope: { name: 'x' }, spans }] }] };
}

test('past maxSpans whole traces leave, the first received first', () => {
  const store = new TelemetryStore({ maxSpans: 10, maxLogs: 10, maxPoints: 10 });
  for (let t = 1; t <= 4; t++) store.ingest('traces', traceBody(t, 4));
  assert.equal(store.traces.spanCount, 8);
  assert.equal(store.traces.spans(traceHex(1)), undefined);
  assert.equal(store.traces.spans(traceHex(2)), undefined);
  assert.equal(store.traces.spans(traceHex(3))?.length, 4);
  assert.equal(store.traces.evicted, 2);
});

test('a summary names the root span and its route, counts spans and errors; filters and search select traces', () => {
  const store = new TelemetryStore({ maxSpans: 100, maxLogs: 10, maxPoints: 10 });
  store.ingest('traces', traceBody(1, 3, '/a/:id'));
  store.ingest('traces', traceBody(2, 2, '/b', true));
  const [b, a] = store.traces.list();
  assert.deepEqual([a!.rootName, a!.route, a!.spanCount, a!.errorCount, a!.durationMs, a!.complete], ['GET /a/:id', '/a/:id', 3, 0, 5, true]);
  assert.deepEqual([b!.route, b!.errorCount], ['/b', 1]);
  assert.deepEqual(store.traces.list({ route: '/a/:id' }).map((s) => s.route), ['/a/:id']);
  assert.deepEqual(store.traces.list({ status: 'error' }).map((s) => s.route), ['/b']);
  assert.deepEqual(store.traces.list({ search: 'alice-1' }).map((s) => s.route), ['/a/:id']);
  assert.deepEqual(store.traces.list({ search: traceHex(2) }).map((s) => s.route), ['/b']);
  assert.deepEqual(store.traces.list({ minDurationMs: 6 }), []);
});

test('logs are bounded, the oldest leaving first, and filtered by severity and text', () => {
  const store = new TelemetryStore({ maxSpans: 10, maxLogs: 3, maxPoints: 10 });
  const records = [1, 2, 3, 4, 5].map((n) => ({ body: str(`line ${n}`), severityNumber: n % 2 === 0 ? 17 : 9, timeUnixNano: String(n * 1e9) }));
  store.ingest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] });
  assert.deepEqual(store.logs.list().map((l) => l.body), ['line 5', 'line 4', 'line 3']);
  assert.deepEqual(store.logs.list({ minSeverity: 17 }).map((l) => l.body), ['line 4']);
  assert.deepEqual(store.logs.list({ text: 'LINE 3' }).map((l) => l.body), ['line 3']);
});

test('percentiles interpolate within buckets; cumulative histograms become per-interval rates', () => {
  assert.equal(quantile([1, 2], [0, 10, 0], 0.5), 1.5);
  assert.equal(quantile([1, 2], [0, 0, 0], 0.5), null);
  const store = new TelemetryStore({ maxSpans: 10, maxLogs: 10, maxPoints: 10 });
  const point = (seconds: number, counts: number[]) => ({
    resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: str('svc') }] }, scopeMetrics: [{ metrics: [{
      name: 'http.server.request.duration', unit: 's',
      histogram: { aggregationTemporality: 2, dataPoints: [{
        attributes: [{ key: 'http.request.method', value: str('GET') }, { key: 'http.route', value: str('/x') }],
        startTimeUnixNano: '1700000000000000000', timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(seconds) * 1_000_000_000n),
        count: String(counts.reduce((a, b) => a + b, 0)), sum: 1, explicitBounds: [0.01, 0.1], bucketCounts: counts.map(String),
      }] },
    }] }] }],
  });
  store.ingest('metrics', point(10, [10, 0, 0]));
  store.ingest('metrics', point(20, [10, 20, 0]));
  const [series] = httpServerSeries(store.metrics, 'svc');
  assert.equal(series!.key, 'GET /x');
  assert.equal(series!.total, 30);
  const [first, second] = series!.points;
  assert.equal(first!.rate, 1);
  assert.equal(second!.rate, 2);
  // The second interval's 20 requests are all in (10 ms, 100 ms]: its median is halfway, 55 ms.
  assert.ok(Math.abs(second!.p50! - 55) < 1e-9, String(second!.p50));
});

test('the snapshot file brings the store back after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'view-snapshot-'));
  try {
    const file = join(dir, 'view.json');
    const store = new TelemetryStore({ maxSpans: 100, maxLogs: 10, maxPoints: 10 });
    store.ingest('traces', traceBody(7, 3));
    store.ingest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: str('kept'), traceId: b64(traceHex(7)) }] }] }] });
    writeSnapshot(store, file);
    const again = new TelemetryStore({ maxSpans: 100, maxLogs: 10, maxPoints: 10 });
    assert.equal(readSnapshot(again, file), true);
    assert.deepEqual(again.traces.list(), store.traces.list());
    assert.equal(again.traces.spans(traceHex(7))![0]!.resource.service, 'svc');
    assert.deepEqual(again.logs.list({ traceId: traceHex(7) }).map((l) => l.body), ['kept']);
    assert.equal(readSnapshot(again, join(dir, 'none.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('database operations are grouped by system, operation and collection; runtime sums become per-second rates', () => {
  const store = new TelemetryStore({ maxSpans: 10, maxLogs: 10, maxPoints: 10 });
  const at = (s: number) => String(1_700_000_000_000_000_000n + BigInt(s) * 1_000_000_000n);
  const attrs = (o: Record<string, string>) => Object.entries(o).map(([key, v]) => ({ key, value: str(v) }));
  store.ingest('metrics', { resourceMetrics: [{ resource: { attributes: attrs({ 'service.name': 'svc' }) }, scopeMetrics: [{ metrics: [
    { name: 'db.client.operation.duration', unit: 's', histogram: { aggregationTemporality: 1, dataPoints: [
      { attributes: attrs({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders' }), startTimeUnixNano: at(0), timeUnixNano: at(5), count: '5', explicitBounds: [0.001], bucketCounts: ['5', '0'] },
      { attributes: attrs({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders', 'error.type': 'timeout' }), startTimeUnixNano: at(0), timeUnixNano: at(5), count: '5', explicitBounds: [0.001], bucketCounts: ['0', '5'] },
    ] } },
    { name: 'process.cpu.time', unit: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [
      { attributes: attrs({ 'cpu.mode': 'user' }), startTimeUnixNano: at(0), timeUnixNano: at(10), asDouble: 1 },
    ] } },
  ] }] }] });
  store.ingest('metrics', { resourceMetrics: [{ resource: { attributes: attrs({ 'service.name': 'svc' }) }, scopeMetrics: [{ metrics: [
    { name: 'process.cpu.time', unit: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [
      { attributes: attrs({ 'cpu.mode': 'user' }), startTimeUnixNano: at(0), timeUnixNano: at(20), asDouble: 3 },
    ] } },
  ] }] }] });
  const [db] = dbClientSeries(store.metrics, 'svc');
  assert.equal(db!.key, 'postgresql SELECT orders');
  assert.deepEqual([db!.points[0]!.rate, db!.points[0]!.errorRate], [2, 0.5]);
  const cpu = runtimeSeries(store.metrics, 'svc').find((r) => r.name === 'CPU')!;
  // 2 s of CPU in 10 s: 20 %.
  assert.deepEqual(cpu.points.map((p) => Math.round(p.v)), [20]);
});
