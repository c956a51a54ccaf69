import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SdkLoggerProvider } from '../../src/logs/logger-provider.js';
import type { ReadableLogRecord } from '../../src/logs/log-record-data.js';
import type { LogRecordLimits } from '../../src/config/types.js';

const RESOURCE = { attributes: { 'service.name': 'logs-test' } };
const UNLIMITED: LogRecordLimits = { attributeCountLimit: 128, attributeValueLengthLimit: Infinity };

function setup(limits: LogRecordLimits = UNLIMITED): { provider: SdkLoggerProvider; records: ReadableLogRecord[] } {
  const records: ReadableLogRecord[] = [];
  const provider = new SdkLoggerProvider({ resource: RESOURCE, limits, listener: { onEmit: (r) => records.push(r) } });
  return { provider, records };
}

const SPAN_CONTEXT = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

test('an emitted record carries severity, body, attributes, scope, resource and the context it was given', () => {
  const { provider, records } = setup();
  const logger = provider.getLogger('shop', '1.2.3');
  logger.emit({
    severityNumber: 13,
    severityText: 'WARN',
    body: { msg: 'low stock', items: [1, 'two', null], nested: { deep: true } },
    attributes: { 'sku': 'A-1', count: 3, when: new Date(0) as never, big: 10n as never },
    timestamp: new Date(1_700_000_000_123),
    context: trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT),
  });
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.equal(r.severityNumber, 13);
  assert.equal(r.severityText, 'WARN');
  assert.deepEqual(r.body, { msg: 'low stock', items: [1, 'two', null], nested: { deep: true } });
  assert.deepEqual(r.attributes, { sku: 'A-1', count: 3, when: '1970-01-01T00:00:00.000Z', big: '10' });
  assert.deepEqual(r.timestamp, [1_700_000_000, 123_000_000]);
  assert.equal(r.traceId, SPAN_CONTEXT.traceId);
  assert.equal(r.spanId, SPAN_CONTEXT.spanId);
  assert.equal(r.traceFlags, 1);
  assert.deepEqual(r.scope, { name: 'shop', version: '1.2.3', schemaUrl: undefined });
  assert.equal(r.resource, RESOURCE);
  assert.ok(r.observedTimestamp[0] > 1_700_000_000);
});

test('without a span in context there are no ids; an invalid severity becomes UNSPECIFIED', () => {
  const { provider, records } = setup();
  provider.getLogger('x').emit({ body: 'plain', severityNumber: 99 as never, context: ROOT_CONTEXT });
  const r = records[0]!;
  assert.equal(r.traceId, undefined);
  assert.equal(r.spanId, undefined);
  assert.equal(r.traceFlags, 0);
  assert.equal(r.severityNumber, 0);
  assert.equal(r.timestamp, undefined);
});

test('attribute count and value-length limits apply, and the dropped ones are counted', () => {
  const { provider, records } = setup({ attributeCountLimit: 2, attributeValueLengthLimit: 3 });
  provider.getLogger('x').emit({ body: 'body is not limited', attributes: { a: 'abcdef', b: ['long', 'xy'], c: 1, d: 2 } });
  const r = records[0]!;
  assert.deepEqual(r.attributes, { a: 'abc', b: ['lon', 'xy'] });
  assert.equal(r.droppedAttributesCount, 2);
  assert.equal(r.body, 'body is not limited');
});

test('an exception becomes exception.* attributes unless the caller set them', () => {
  const { provider, records } = setup();
  const error = new TypeError('bad input');
  provider.getLogger('x').emit({ body: 'failed', exception: error, attributes: { 'exception.message': 'mine' } });
  const r = records[0]!;
  assert.equal(r.attributes['exception.type'], 'TypeError');
  assert.equal(r.attributes['exception.message'], 'mine');
  assert.equal(r.attributes['exception.stacktrace'], error.stack);
});

test('cycles, functions, symbols and throwing getters in app values do not break emitting', () => {
  const { provider, records } = setup();
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const hostile = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
  provider.getLogger('x').emit({ body: cyclic as never, attributes: { fn: (() => 1) as never, sym: Symbol('s') as never, hostile: hostile as never } });
  const r = records[0]!;
  let depth = 0;
  for (let v: unknown = r.body; v !== null && typeof v === 'object'; v = (v as Record<string, unknown>).self) depth++;
  assert.ok(depth <= 9, `body nesting is cut (depth ${depth})`);
  assert.deepEqual(r.attributes, { hostile: {} });
});

test('loggers are cached per name, version and schema URL; a stopped provider ignores emits', () => {
  const { provider, records } = setup();
  assert.equal(provider.getLogger('a', '1'), provider.getLogger('a', '1'));
  assert.notEqual(provider.getLogger('a', '1'), provider.getLogger('a', '2'));
  assert.equal(provider.getLogger('a').enabled(), true);
  provider.stop();
  provider.getLogger('a').emit({ body: 'late' });
  assert.equal(provider.getLogger('a').enabled(), false);
  assert.equal(records.length, 0);
});
