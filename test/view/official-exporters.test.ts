// The viewer's receiver takes what the OFFICIAL OpenTelemetry JS exporters send: traces, metrics and logs,
// over gRPC, http/protobuf and http/json, plain and gzip, each through the real exporter package to a real
// viewer on loopback, and each checked field by field in the viewer's store (src/view/telemetry-store.ts).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, context, trace, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { startViewer, type Viewer } from '../../src/view/viewer.js';

type Protocol = 'grpc' | 'http/protobuf' | 'http/json';
type Compression = 'none' | 'gzip';

let viewer: Viewer;
before(async () => {
  // Port 0 everywhere: tests run in parallel with other viewers.
  viewer = await startViewer({ grpcPort: 0, httpPort: 0, pagePort: 0 });
});
after(() => viewer.close());

function url(protocol: Protocol, signal: string): string {
  return protocol === 'grpc' ? viewer.grpcEndpoint : `${viewer.httpEndpoint}/v1/${signal}`;
}

function traceExporter(protocol: Protocol, compression: Compression): SpanExporter {
  const options = { url: url(protocol, 'traces'), compression: compression as any };
  return protocol === 'grpc' ? new TraceGrpc(options) : protocol === 'http/json' ? new TraceJson(options) : new TraceProto(options);
}
function logExporter(protocol: Protocol, compression: Compression): LogRecordExporter {
  const options = { url: url(protocol, 'logs'), compression: compression as any };
  return protocol === 'grpc' ? new LogsGrpc(options) : protocol === 'http/json' ? new LogsJson(options) : new LogsProto(options);
}
function metricExporter(protocol: Protocol, compression: Compression): PushMetricExporter {
  const options = { url: url(protocol, 'metrics'), compression: compression as any };
  return protocol === 'grpc' ? new MetricsGrpc(options) : protocol === 'http/json' ? new MetricsJson(options) : new MetricsProto(options);
}

const CASES: [Protocol, Compression][] = [
  ['grpc', 'none'],
  ['grpc', 'gzip'],
  ['http/protobuf', 'none'],
  ['http/protobuf', 'gzip'],
  ['http/json', 'none'],
  ['http/json', 'gzip'],
];

for (const [protocol, compression] of CASES) {
  const service = `official-${protocol.replace('/', '-')}-${compression}`;
  const resource = resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'test' });

  test(`spans from the official ${protocol} exporter (${compression}) arrive whole: ids, parent, kind, status, attributes, events, links`, async () => {
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(traceExporter(protocol, compression))] });
    const tracer = provider.getTracer('viewer-test', '1.2.3');
    const attributes: Attributes = { 'http.route': '/orders/:id', 'http.response.status_code': 500, ratio: 0.25, ok: false, tags: ['a', 'b'] };
    const root = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes });
    const child = tracer.startSpan('SELECT shop.orders', { kind: SpanKind.CLIENT, links: [{ context: root.spanContext(), attributes: { why: 'test' } }] }, trace.setSpan(context.active(), root));
    child.addEvent('row', { n: 1 });
    child.end();
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const traceId = root.spanContext().traceId;
    const spans = viewer.store.traces.spans(traceId);
    assert.ok(spans, `trace ${traceId} not in the viewer`);
    assert.equal(spans.length, 2);
    const r = spans.find((s) => s.spanId === root.spanContext().spanId)!;
    const c = spans.find((s) => s.spanId === child.spanContext().spanId)!;
    assert.equal(r.name, 'GET /orders/:id');
    assert.equal(r.kind, 2);
    assert.equal(r.parentSpanId, '');
    assert.equal(r.statusCode, 2);
    assert.equal(r.statusMessage, 'boom');
    assert.deepEqual(r.attributes, attributes);
    assert.equal(r.resource.service, service);
    assert.equal(r.resource.attributes['deployment.environment.name'], 'test');
    assert.deepEqual(r.scope, { name: 'viewer-test', version: '1.2.3' });
    assert.ok(Math.abs(r.startMs - Date.now()) < 60_000, `start ${r.startMs} is not now`);
    assert.equal(c.parentSpanId, r.spanId);
    assert.equal(c.kind, 3);
    assert.deepEqual(c.events.map((e) => [e.name, e.attributes]), [['row', { n: 1 }]]);
    assert.deepEqual(c.links, [{ traceId, spanId: r.spanId, attributes: { why: 'test' } }]);
    const summary = viewer.store.traces.list({ search: traceId })[0]!;
    assert.equal(summary.rootName, 'GET /orders/:id');
    assert.equal(summary.route, '/orders/:id');
    assert.equal(summary.errorCount, 1);
  });

  test(`log records from the official ${protocol} exporter (${compression}) arrive with severity, body, attributes and their span`, async () => {
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logExporter(protocol, compression) })] });
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    provider.getLogger('viewer-test').emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: `order 42 checked out via ${protocol}`,
      attributes: { 'order.id': 42 },
      context: trace.setSpanContext(context.active(), spanContext),
    });
    await provider.forceFlush();
    await provider.shutdown();
    const [record] = viewer.store.logs.list({ text: `via ${protocol}` }).filter((l) => l.resource.service === service);
    assert.ok(record, 'log record not in the viewer');
    assert.equal(record.body, `order 42 checked out via ${protocol}`);
    assert.equal(record.severityNumber, SeverityNumber.WARN);
    assert.equal(record.severityText, 'WARN');
    assert.deepEqual(record.attributes, { 'order.id': 42 });
    assert.equal(record.traceId, spanContext.traceId);
    assert.equal(record.spanId, spanContext.spanId);
  });

  test(`metrics from the official ${protocol} exporter (${compression}) arrive: histogram buckets, sums and gauges`, async () => {
    const reader = new PeriodicExportingMetricReader({ exporter: metricExporter(protocol, compression), exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('viewer-test');
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1] } });
    for (const v of [0.004, 0.008, 0.02, 0.02, 0.2]) duration.record(v, { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'http.response.status_code': 200 });
    meter.createCounter('orders').add(3);
    meter.createObservableGauge('nodejs.eventloop.utilization').addCallback((r) => r.observe(0.5));
    await provider.forceFlush();
    await provider.shutdown();
    const streams = viewer.store.metrics.streams(service);
    const hist = streams.find((s) => s.name === 'http.server.request.duration');
    assert.ok(hist, `no histogram among ${streams.map((s) => s.name)}`);
    assert.equal(hist.kind, 'histogram');
    assert.equal(hist.unit, 's');
    assert.equal(hist.attributes['http.route'], '/orders/:id');
    const point = hist.points[hist.points.length - 1]!;
    assert.equal(point.count, 5);
    assert.deepEqual(point.bounds, [0.005, 0.01, 0.025, 0.05, 0.1]);
    assert.deepEqual(point.counts, [1, 1, 2, 0, 0, 1]);
    assert.ok(Math.abs(point.value - 0.252) < 1e-9);
    const counter = streams.find((s) => s.name === 'orders')!;
    assert.equal(counter.kind, 'sum');
    assert.equal(counter.monotonic, true);
    assert.equal(counter.points[counter.points.length - 1]!.value, 3);
    assert.equal(streams.find((s) => s.name === 'nodejs.eventloop.utilization')?.points[0]?.value, 0.5);
  });
}
