import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTraceRequestJson } from '../../../src/export/otlp/encode-json/trace.js';
import { hrTimeToDecimalNanos } from '../../../src/export/otlp/encode-json/common.js';
import { encodeTraceRequest } from '../../../src/export/otlp/encode-protobuf/trace.js';
import type { HrTime } from '../../../src/core/types.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { decodeJson, decodeProtobuf, flattenSpans, makeTestSpan } from '../../support/otlp-receiver.js';

function richSpan(): ReadableSpan {
  return makeTestSpan({
    name: 'POST /orders "quoted" \u00e9\u{1F600}',
    kind: 2,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceState: 'a=1',
    parentSpanId: '00f067aa0ba902b7',
    parentIsRemote: true,
    startTime: [1_700_000_123, 987_654_321],
    endTime: [1_700_000_124, 5],
    attributes: {
      s: 'line\nbreak',
      i: 7,
      neg: -1,
      big: 2 ** 60,
      d: 0.5,
      t: true,
      f: false,
      arr: ['x', null],
      nums: [1, 1.5],
    },
    droppedAttributesCount: 1,
    events: [{ name: 'ev', time: [1_700_000_123, 999_999_999], attributes: { k: 'v' }, droppedAttributesCount: 2 }],
    droppedEventsCount: 3,
    links: [{ traceId: '11111111111111111111111111111111', spanId: '2222222222222222', traceFlags: 1, traceState: 'l=1', attributes: { n: 1 }, droppedAttributesCount: 4 }],
    droppedLinksCount: 5,
    status: { code: 2, message: 'bad' },
  });
}

test('decimal nanoseconds from HrTime are exact beyond 2^53', () => {
  const cases: HrTime[] = [
    [0, 0],
    [0, 5],
    [9_007_198, 999_999_999],
    [9_007_199, 254_740_993],
    [1_700_000_123, 987_654_321],
    [1_700_000_123, 1],
    [4_294_967_296, 0],
  ];
  for (let i = 0; i < 1000; i++) cases.push([Math.floor(Math.random() * 5e9), Math.floor(Math.random() * 1e9)]);
  for (const t of cases) {
    assert.equal(hrTimeToDecimalNanos(t), (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString(), `HrTime ${t[0]},${t[1]}`);
  }
  assert.equal(hrTimeToDecimalNanos([1, 1_500_000_000]), '2500000000', 'nanoseconds >= 1e9 carry into seconds');
});

test('OTLP/JSON uses lowerCamelCase keys, hex ids, integer enums and int64 as decimal strings', () => {
  const json = JSON.parse(Buffer.from(encodeTraceRequestJson([richSpan()])).toString('utf8'));
  const keys: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        keys.push(k);
        walk(child);
      }
    }
  };
  walk(json);
  for (const k of keys) assert.match(k, /^[a-z][a-zA-Z0-9.]*$|^(s|i|neg|big|d|t|f|arr|nums|k|n)$/, `key ${k}`);
  assert.ok(!keys.some((k) => k.includes('_')), 'no snake_case keys');

  const span = json.resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(span.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(span.spanId, 'b7ad6b7169203331');
  assert.equal(span.parentSpanId, '00f067aa0ba902b7');
  assert.equal(span.kind, 3);
  assert.equal(span.status.code, 2);
  assert.equal(span.flags, 0x301);
  assert.equal(span.startTimeUnixNano, '1700000123987654321');
  assert.equal(span.endTimeUnixNano, '1700000124000000005');
  assert.equal(span.events[0].timeUnixNano, '1700000123999999999');
  const attrs = Object.fromEntries(span.attributes.map((kv: any) => [kv.key, kv.value]));
  assert.deepEqual(attrs.i, { intValue: '7' });
  assert.deepEqual(attrs.big, { intValue: '1152921504606846976' });
  assert.deepEqual(attrs.d, { doubleValue: 0.5 });
  assert.deepEqual(attrs.f, { boolValue: false });
  assert.deepEqual(attrs.arr, { arrayValue: { values: [{ stringValue: 'x' }, {}] } });
  assert.equal(span.links[0].traceId, '11111111111111111111111111111111');
});

test('the official schema accepts our JSON (fromObject) and reads the same spans as from our protobuf', () => {
  const spans = [richSpan(), makeTestSpan({ name: 'second', scope: { name: 'other-scope' } }), makeTestSpan({ kind: 4 })];
  const fromJson = flattenSpans(decodeJson('traces', Buffer.from(encodeTraceRequestJson(spans))));
  const fromProtobuf = flattenSpans(decodeProtobuf('traces', Buffer.from(encodeTraceRequest(spans))));
  assert.equal(fromJson.length, 3);
  assert.deepEqual(fromJson, fromProtobuf);
  assert.equal(fromJson[0].name, 'POST /orders "quoted" \u00e9\u{1F600}');
  assert.equal(fromJson[0].attributes.s, 'line\nbreak');
  assert.equal(fromJson[0].startTimeUnixNano, '1700000123987654321');
});

test('non-finite doubles use the proto3 JSON string spellings', () => {
  const json = JSON.parse(
    Buffer.from(encodeTraceRequestJson([makeTestSpan({ attributes: { nan: NaN, inf: Infinity, ninf: -Infinity } })])).toString('utf8'),
  );
  const attrs = Object.fromEntries(json.resourceSpans[0].scopeSpans[0].spans[0].attributes.map((kv: any) => [kv.key, kv.value]));
  assert.deepEqual(attrs, { nan: { doubleValue: 'NaN' }, inf: { doubleValue: 'Infinity' }, ninf: { doubleValue: '-Infinity' } });
});
