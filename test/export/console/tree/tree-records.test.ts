import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTreeRecord, severityName, treeLogOf, treeSpanOf } from '../../../../src/export/console/tree/tree-records.js';
import type { ReadableSpan } from '../../../../src/trace/span-data.js';
import type { ReadableLogRecord } from '../../../../src/logs/log-record-data.js';

const clientSpan: ReadableSpan = {
  name: 'GET',
  kind: 2,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  traceState: undefined,
  parentSpanId: '00f067aa0ba902b7',
  parentIsRemote: false,
  startTime: [1700000000, 1],
  endTime: [1700000000, 3_000_001],
  attributes: { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:9/stock/tea', 'http.response.status_code': 503, 'error.type': '503' },
  droppedAttributesCount: 0,
  events: [{ name: 'exception', time: [1700000000, 2], attributes: { 'exception.type': 'Error', 'exception.message': 'down' }, droppedAttributesCount: 0 }],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 2 },
  scope: { name: 'otel-instrument' },
  resource: { attributes: { 'service.name': 'shop' } },
};

test('a span keeps what the tree shows: ids, name, kind, times, status, service, status code, URL, error and exceptions', () => {
  assert.deepEqual(treeSpanOf(clientSpan), {
    type: 'span',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '00f067aa0ba902b7',
    name: 'GET',
    kind: 2,
    start: [1700000000, 1],
    end: [1700000000, 3_000_001],
    status: 2,
    service: 'shop',
    httpStatus: 503,
    target: 'http://127.0.0.1:9/stock/tea',
    errorType: '503',
    events: [{ name: 'exception', time: [1700000000, 2], text: 'Error: down' }],
  });
});

test('a log record keeps its time, severity, body as text, service and span', () => {
  const record: ReadableLogRecord = {
    timestamp: undefined,
    observedTimestamp: [1700000000, 5],
    severityNumber: 13,
    severityText: undefined,
    body: { order: 42 },
    attributes: {},
    droppedAttributesCount: 0,
    eventName: undefined,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    resource: { attributes: { 'service.name': 'shop' } },
    scope: { name: 'console' },
  };
  assert.deepEqual(treeLogOf(record), {
    type: 'log',
    time: [1700000000, 5],
    severity: 'WARN',
    body: '{"order":42}',
    service: 'shop',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
  });
});

test('severity names follow the data model ranges, and a severity text wins', () => {
  assert.deepEqual([1, 5, 9, 12, 13, 17, 21, 24, 0, 25].map((n) => severityName(n, undefined)), ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'FATAL', 'FATAL', 'LOG', 'LOG']);
  assert.equal(severityName(9, 'info'), 'INFO');
});

test('a record sent as a line comes back the same; anything malformed is refused', () => {
  const record = treeSpanOf(clientSpan);
  assert.deepEqual(parseTreeRecord(JSON.stringify(record)), record);
  for (const bad of ['', 'null', '[]', '{"type":"span"}', '{"type":"span","service":"a","traceId":"t","spanId":"s","name":"n","kind":0,"status":0,"start":[1],"end":[1,2]}', '{"type":"log","service":"a","time":[1,2],"severity":1,"body":"x"}', '{"type":"other","service":"a"}']) {
    assert.equal(parseTreeRecord(bad), undefined, bad);
  }
});
