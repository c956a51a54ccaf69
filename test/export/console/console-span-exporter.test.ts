import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsoleSpanExporter, spanToJson } from '../../../src/export/console/console-span-exporter.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';

const span: ReadableSpan = {
  name: 'GET /users/:id',
  kind: 1,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  traceState: 'a=1,b=2',
  parentSpanId: '00f067aa0ba902b7',
  parentIsRemote: true,
  startTime: [1700000000, 123456789],
  endTime: [1700000001, 5000],
  attributes: { 'http.request.method': 'GET' },
  droppedAttributesCount: 0,
  events: [{ name: 'exception', time: [1700000000, 500000000], attributes: { 'exception.message': 'x' }, droppedAttributesCount: 0 }],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 2, message: 'boom' },
  scope: { name: 'otel-instrument' },
  resource: { attributes: { 'service.name': 'svc' } },
};

test('a span prints in the documented console shape with 0x ids and microsecond ISO times', () => {
  assert.deepEqual(spanToJson(span), {
    name: 'GET /users/:id',
    context: { trace_id: '0x0af7651916cd43dd8448eb211c80319c', span_id: '0xb7ad6b7169203331', trace_state: [['a', '1'], ['b', '2']] },
    kind: 'SpanKind.SERVER',
    parent_id: '0x00f067aa0ba902b7',
    start_time: '2023-11-14T22:13:20.123456Z',
    end_time: '2023-11-14T22:13:21.000005Z',
    status: { status_code: 'ERROR', description: 'boom' },
    attributes: { 'http.request.method': 'GET' },
    events: [{ name: 'exception', timestamp: '2023-11-14T22:13:20.500000Z', attributes: { 'exception.message': 'x' } }],
    links: [],
    resource: { attributes: { 'service.name': 'svc' }, schema_url: '' },
    instrumentation_scope: { name: 'otel-instrument', version: null },
  });
});

test('the exporter writes one JSON line per span and reports success', () => {
  let out = '';
  const exporter = createConsoleSpanExporter((text) => (out += text));
  let result: unknown;
  exporter.export([span, span], (r) => (result = r));
  assert.deepEqual(result, { ok: true });
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[0]!).name, 'GET /users/:id');
});
