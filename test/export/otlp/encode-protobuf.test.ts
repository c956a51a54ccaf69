import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from 'protobufjs/minimal';
import {
  decodePartialSuccess,
  decodeRpcStatus,
  hrTimeToFixed64Halves,
  writeHexId,
} from '../../../src/export/otlp/encode-protobuf/common.js';
import { decodeExportTraceResponse, encodeSpanAhead, encodeTraceRequest } from '../../../src/export/otlp/encode-protobuf/trace.js';
import { Writer as OurWriter } from '../../../src/export/otlp/encode-protobuf/writer.js';
import type { HrTime, Resource } from '../../../src/core/types.js';
import { sharedAttributes, sharedSet } from '../../../src/core/shared-attributes.js';
import { releaseEncoded } from '../../../src/export/otlp/encode-protobuf/envelope.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { decodeProtobuf, flattenSpans, makeTestSpan, TEST_RESOURCE } from '../../support/otlp-receiver.js';

// The official schema (protobufjs static code generated from opentelemetry-proto).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as any;
const v1 = root.opentelemetry.proto.collector.trace.v1;
const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

function decode(bytes: Uint8Array): any {
  return v1.ExportTraceServiceRequest.toObject(v1.ExportTraceServiceRequest.decode(bytes), TO_OBJECT);
}
const hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');

function nanos(t: HrTime): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

test('fixed64 halves of HrTime match BigInt arithmetic for edge values', () => {
  const cases: HrTime[] = [
    [0, 0],
    [0, 1],
    [0, 999_999_999],
    [1, 0],
    [4, 294_967_295], // 2^32 - 1 ns
    [4, 294_967_296], // 2^32 ns
    [9_007_199, 254_740_992], // 2^53 ns
    [9_007_199, 254_740_993], // 2^53 + 1 ns: not representable as one double
    [1_700_000_000, 123_456_789],
    [1_999_999_999, 999_999_999],
    [2_147_483_647, 999_999_999],
    [4_294_967_295, 999_999_999], // fast-path upper range
    [4_611_686_017, 999_999_999], // last second on the fast path
    [4_611_686_018, 5], // first second on the BigInt fallback
    [18_446_744_073, 709_551_615], // 2^64 - 1 ns
  ];
  for (let i = 0; i < 2000; i++) cases.push([Math.floor(Math.random() * 4_700_000_000), Math.floor(Math.random() * 1e9)]);
  for (const t of cases) {
    const [lo, hi] = hrTimeToFixed64Halves(t);
    const expected = BigInt.asUintN(64, nanos(t));
    assert.equal((BigInt(hi) << 32n) | BigInt(lo), expected, `HrTime ${t[0]},${t[1]}`);
  }
});

test('hex ids are written as raw bytes, fast path and fallback alike', () => {
  for (const id of ['0af7651916cd43dd8448eb211c80319c', 'FFEEDDCCBBAA99887766554433221100', 'b7ad6b7169203331', '00f0', '']) {
    const w = OurWriter.create();
    writeHexId(w, 10, id);
    const b = w.finish();
    assert.equal(b[0], 10);
    assert.equal(b[1], id.length / 2);
    assert.equal(Buffer.from(b.subarray(2)).toString('hex'), id.toLowerCase());
  }
});

test('every span field round-trips through the official schema', () => {
  const start: HrTime = [1_700_000_123, 987_654_321]; // 1.7e18 ns > 2^53
  const span = makeTestSpan({
    name: 'GET /users/:id',
    kind: 1,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    traceState: 'vendor=a,other=b',
    parentSpanId: '00f067aa0ba902b7',
    parentIsRemote: true,
    startTime: start,
    endTime: [1_700_000_124, 1],
    attributes: {
      str: 'value',
      empty: '',
      int: 42,
      zero: 0,
      negative: -7,
      big: 2 ** 60,
      double: 3.25,
      huge: 1e300,
      yes: true,
      no: false,
      strings: ['a', 'b'],
      numbers: [1, 2.5],
      bools: [true, false],
      holes: ['x', null, undefined],
      skipped: undefined,
    },
    droppedAttributesCount: 3,
    events: [
      { name: 'exception', time: [1_700_000_123, 999_999_999], attributes: { 'exception.message': 'boom' }, droppedAttributesCount: 1 },
        { name: 'bare', time: [1_700_000_124, 0], attributes: {}, droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 4,
    links: [
      { traceId: '11111111111111111111111111111111', spanId: '2222222222222222', traceFlags: 1, traceState: 'k=v', attributes: { l: 1 }, droppedAttributesCount: 2 },
    ],
    droppedLinksCount: 5,
    status: { code: 2, message: 'it failed' },
  });
  const body = decode(encodeTraceRequest([span]));
  assert.equal(body.resourceSpans.length, 1);
  const rs = body.resourceSpans[0];
  assert.deepEqual(rs.resource.attributes, [{ key: 'service.name', value: { stringValue: 'otlp-test' } }]);
  assert.deepEqual(rs.scopeSpans[0].scope, { name: 'test-scope', version: '1.2.3', attributes: [] });
  const s = rs.scopeSpans[0].spans[0];
  assert.equal(hex(s.traceId), '0af7651916cd43dd8448eb211c80319c');
  assert.equal(hex(s.spanId), 'b7ad6b7169203331');
  assert.equal(hex(s.parentSpanId), '00f067aa0ba902b7');
  assert.equal(s.traceState, 'vendor=a,other=b');
  assert.equal(s.name, 'GET /users/:id');
  assert.equal(s.kind, 2, 'SERVER is api 1 -> OTLP 2');
  assert.equal(s.startTimeUnixNano, '1700000123987654321');
  assert.equal(s.endTimeUnixNano, '1700000124000000001');
  assert.equal(s.droppedAttributesCount, 3);
  const attrs = Object.fromEntries(s.attributes.map((kv: any) => [kv.key, kv.value]));
  assert.deepEqual(attrs, {
    str: { stringValue: 'value' },
    empty: { stringValue: '' },
    int: { intValue: '42' },
    zero: { intValue: '0' },
    negative: { intValue: '-7' },
    big: { intValue: '1152921504606846976' },
    double: { doubleValue: 3.25 },
    huge: { doubleValue: 1e300 },
    yes: { boolValue: true },
    no: { boolValue: false },
    strings: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } },
    numbers: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 2.5 }] } },
    bools: { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } },
    holes: { arrayValue: { values: [{ stringValue: 'x' }, {}, {}] } },
  });
  assert.deepEqual(s.events, [
    { timeUnixNano: '1700000123999999999', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }], droppedAttributesCount: 1 },
    { timeUnixNano: '1700000124000000000', name: 'bare', attributes: [] },
  ]);
  assert.equal(s.droppedEventsCount, 4);
  assert.equal(s.links.length, 1);
  assert.equal(hex(s.links[0].traceId), '11111111111111111111111111111111');
  assert.equal(hex(s.links[0].spanId), '2222222222222222');
  assert.equal(s.links[0].traceState, 'k=v');
  assert.deepEqual(s.links[0].attributes, [{ key: 'l', value: { intValue: '1' } }]);
  assert.equal(s.links[0].droppedAttributesCount, 2);
  assert.equal(s.droppedLinksCount, 5);
  assert.deepEqual(s.status, { message: 'it failed', code: 2 });
});

test('a shared attribute set is written once and its bytes copied after: the same request bytes as an unshared copy', () => {
  const set = sharedAttributes({ 'db.system.name': 'postgresql', 'db.query.text': 'SELECT ? FROM t', 'server.port': 5433, 'list': [1, 2] });
  const plain = { ...set };
  const spans = (attributes: ReadableSpan['attributes']): ReadableSpan[] => [
    makeTestSpan({ name: 'a1', spanId: '00000000000000a1', attributes }),
    // The set under another field (an event's attributes) is written there, not copied from the span's bytes.
    makeTestSpan({ name: 'a2', spanId: '00000000000000a2', attributes, events: [{ name: 'e', time: [1_700_000_000, 5], attributes, droppedAttributesCount: 0 }] }),
    makeTestSpan({ name: 'a3', spanId: '00000000000000a3', attributes }),
  ];
  const expected = encodeTraceRequest(spans(plain));
  // First encode writes the set; later ones (whole requests and items encoded ahead) copy it.
  for (let round = 0; round < 3; round++) assert.deepEqual(encodeTraceRequest(spans(set)), expected);
  const ahead = spans(set).map(encodeSpanAhead);
  assert.deepEqual(encodeTraceRequest(ahead), expected);
  releaseEncoded(ahead);
  const decoded = decode(expected).resourceSpans[0].scopeSpans[0].spans;
  assert.equal(decoded.length, 3);
  assert.deepEqual(
    decoded[2].attributes.map((kv: any) => kv.key),
    ['db.system.name', 'db.query.text', 'server.port', 'list'],
  );
  assert.deepEqual(decoded[1].events[0].attributes, decoded[1].attributes);
});

test('a shared set longer than the kept bound is written each time, and its bytes are not kept', () => {
  const set = sharedAttributes({ 'db.system.name': 'postgresql', 'db.query.text': `SELECT ${'a, '.repeat(600)}b FROM t` });
  const expected = encodeTraceRequest([makeTestSpan({ name: 'long', spanId: '00000000000000b1', attributes: { ...set } })]);
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(encodeTraceRequest([makeTestSpan({ name: 'long', spanId: '00000000000000b1', attributes: set })]), expected);
  }
  assert.equal(sharedSet(set)?.encoded, undefined);
});

test('span and link flags carry trace flags plus HAS_IS_REMOTE / IS_REMOTE', () => {
  const spans = [
    makeTestSpan({ traceFlags: 1, parentIsRemote: true, parentSpanId: '1111111111111111' }),
    makeTestSpan({ traceFlags: 0, parentIsRemote: false }),
    makeTestSpan({
      traceFlags: 1,
      links: [{ traceId: '11111111111111111111111111111111', spanId: '2222222222222222', traceFlags: 1, traceState: undefined, attributes: {}, droppedAttributesCount: 0 }],
    }),
  ];
  // The generated schema predates Span.flags; the receiver module reads flags with field numbers from trace.proto.
  const got = flattenSpans(decodeProtobuf('traces', Buffer.from(encodeTraceRequest(spans))));
  assert.equal(got[0].flags, 0x01 | 0x100 | 0x200);
  assert.equal(got[1].flags, 0x100);
  assert.equal(got[2].flags, 0x101);
  assert.equal(got[2].links[0].flags, 0x01);
});

test('span kinds map to OTLP as api kind + 1 and status codes pass through', () => {
  const spans = [0, 1, 2, 3, 4].map((kind) => makeTestSpan({ kind, status: { code: (kind % 3) as 0 | 1 | 2 } }));
  const got = decode(encodeTraceRequest(spans)).resourceSpans[0].scopeSpans[0].spans;
  assert.deepEqual(got.map((s: any) => s.kind), [1, 2, 3, 4, 5]);
  assert.deepEqual(got.map((s: any) => s.status?.code ?? 0), [0, 1, 2, 0, 1]);
});

test('spans are grouped by resource identity, then by scope name+version+schemaUrl', () => {
  const otherResource: Resource = { attributes: { 'service.name': 'other' }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' };
  const a1 = { name: 'a', version: '1' };
  const a1Copy = { name: 'a', version: '1' }; // equal, different object: same group
  const a2 = { name: 'a', version: '2' };
  const a1Schema = { name: 'a', version: '1', schemaUrl: 'https://x/s' };
  const spans: ReadableSpan[] = [
    makeTestSpan({ name: '1', scope: a1 }),
    makeTestSpan({ name: '2', scope: a2 }),
    makeTestSpan({ name: '3', scope: a1Copy }),
    makeTestSpan({ name: '4', scope: a1, resource: otherResource }),
    makeTestSpan({ name: '5', scope: a1Schema }),
    makeTestSpan({ name: '6', scope: a1 }),
  ];
  const body = decode(encodeTraceRequest(spans));
  const shape = body.resourceSpans.map((rs: any) => ({
    service: rs.resource.attributes[0].value.stringValue,
    schemaUrl: rs.schemaUrl,
    scopes: rs.scopeSpans.map((ss: any) => ({ v: ss.scope.version, schemaUrl: ss.schemaUrl, spans: ss.spans.map((s: any) => s.name).sort() })),
  }));
  assert.deepEqual(shape, [
    {
      service: 'otlp-test',
      schemaUrl: undefined,
      scopes: [
        { v: '1', schemaUrl: undefined, spans: ['1', '3', '6'] },
        { v: '2', schemaUrl: undefined, spans: ['2'] },
        { v: '1', schemaUrl: 'https://x/s', spans: ['5'] },
      ],
    },
    { service: 'other', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', scopes: [{ v: '1', schemaUrl: undefined, spans: ['4'] }] },
  ]);
  assert.ok(TEST_RESOURCE);
});

test('a large batch decodes completely (length prefixes wider than one byte)', () => {
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < 600; i++) spans.push(makeTestSpan({ attributes: { 'http.url': 'x'.repeat(300), i } }));
  const got = decode(encodeTraceRequest(spans)).resourceSpans[0].scopeSpans[0].spans;
  assert.equal(got.length, 600);
  assert.equal(got[599].attributes[1].value.intValue, '599');
});

test('partial success in an ExportTraceServiceResponse is decoded', () => {
  const bytes = v1.ExportTraceServiceResponse.encode(
    v1.ExportTraceServiceResponse.fromObject({ partialSuccess: { rejectedSpans: 12, errorMessage: 'too old' } }),
  ).finish();
  assert.deepEqual(decodeExportTraceResponse(bytes), { partialSuccess: { rejectedSpans: 12, errorMessage: 'too old' } });
  assert.deepEqual(decodeExportTraceResponse(new Uint8Array(0)), {});
  assert.deepEqual(decodePartialSuccess(v1.ExportTraceServiceResponse.encode({}).finish()), undefined);
});

test('google.rpc.Status with RetryInfo yields the retry delay', () => {
  // Status{code=8, message="slow down", details=[Any{type_url=RetryInfo, value=RetryInfo{retry_delay{seconds=2,nanos=500000000}}}]}
  const duration = Writer.create().uint32(8).int64(2).uint32(16).int32(500_000_000).finish();
  const retryInfo = Writer.create().uint32(10).bytes(duration).finish();
  const any = Writer.create().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(retryInfo).finish();
  const status = Writer.create().uint32(8).int32(8).uint32(18).string('slow down').uint32(26).bytes(any).finish();
  assert.deepEqual(decodeRpcStatus(status), { code: 8, message: 'slow down', retryDelayMs: 2500 });
  const plain = Writer.create().uint32(8).int32(3).uint32(18).string('bad').finish();
  assert.deepEqual(decodeRpcStatus(plain), { code: 3, message: 'bad' });
});
