import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLogsRequestJson } from '../../../src/export/otlp/encode-json/logs.js';
import { encodeLogsRequest } from '../../../src/export/otlp/encode-protobuf/logs.js';
import type { ReadableLogRecord } from '../../../src/logs/log-record-data.js';
import { decodeJson, decodeProtobuf, flattenLogs } from '../../support/otlp-receiver.js';

const RESOURCE = { attributes: { 'service.name': 'encode-logs' } };
const SCOPE = { name: 'otel-instrument/console', version: '1.0.0' };

function record(overrides: Partial<ReadableLogRecord> = {}): ReadableLogRecord {
  return {
    timestamp: [1_700_000_123, 987_654_321],
    observedTimestamp: [1_700_000_124, 5],
    severityNumber: 17,
    severityText: 'ERROR',
    body: { message: 'payment failed \u00e9', code: 402, retry: false, ratio: 0.5, tags: ['a', 1], raw: new Uint8Array([1, 2]) },
    attributes: { 'http.route': '/pay', nested: { k: ['v'] }, n: 2 ** 60 },
    droppedAttributesCount: 2,
    eventName: undefined,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    resource: RESOURCE,
    scope: SCOPE,
    ...overrides,
  };
}

for (const [name, encode, decode] of [
  ['protobuf', encodeLogsRequest, (b: Uint8Array) => decodeProtobuf('logs', Buffer.from(b))],
  ['JSON', encodeLogsRequestJson, (b: Uint8Array) => decodeJson('logs', Buffer.from(b))],
] as const) {
  test(`log records encoded as ${name} decode with the official schema to the same fields`, () => {
    const plain = record({ body: 'plain text', attributes: {}, droppedAttributesCount: 0, traceId: undefined, spanId: undefined, traceFlags: 0, timestamp: undefined, severityNumber: 0, severityText: undefined });
    const logs = flattenLogs(decode(encode([record(), plain])));
    assert.equal(logs.length, 2);
    const [rich, bare] = logs;
    assert.equal(rich!.timeUnixNano, '1700000123987654321');
    assert.equal(rich!.observedTimeUnixNano, '1700000124000000005');
    assert.equal(rich!.severityNumber, 17);
    assert.equal(rich!.severityText, 'ERROR');
    assert.deepEqual(rich!.body, { message: 'payment failed \u00e9', code: 402, retry: false, ratio: 0.5, tags: ['a', 1], raw: 'AQI=' });
    assert.deepEqual(rich!.attributes, { 'http.route': '/pay', nested: { k: ['v'] }, n: '1152921504606846976' });
    assert.equal(rich!.droppedAttributesCount, 2);
    assert.equal(rich!.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(rich!.spanId, 'b7ad6b7169203331');
    assert.equal(rich!.flags, 1);
    assert.deepEqual(rich!.resource, { 'service.name': 'encode-logs' });
    assert.deepEqual(rich!.scope, { name: 'otel-instrument/console', version: '1.0.0' });
    assert.equal(bare!.timeUnixNano, '0');
    assert.equal(bare!.body, 'plain text');
    assert.equal(bare!.traceId, '');
    assert.equal(bare!.severityNumber, 0);
  });
}

test('records from two scopes go into two ScopeLogs of one ResourceLogs', () => {
  const other = { name: 'otel-instrument/pino', version: '10.0.0' };
  const body = decodeProtobuf('logs', Buffer.from(encodeLogsRequest([record(), record({ scope: other }), record()])));
  assert.equal(body.resourceLogs.length, 1);
  assert.deepEqual(
    body.resourceLogs[0].scopeLogs.map((s: { scope: { name: string }; logRecords: unknown[] }) => [s.scope.name, s.logRecords.length]),
    [['otel-instrument/console', 2], ['otel-instrument/pino', 1]],
  );
});
