import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, trace, createTraceState } from '@opentelemetry/api';
import type { SpanLimits } from '../../src/config/types.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { runWithContext } from '../../src/context/als-context-manager.js';
import { suppressed } from '../../src/context/suppress.js';
import { alwaysOff, alwaysOn, createSampler, parentBased, traceIdRatio } from '../../src/trace/samplers.js';
import type { SdkSpan } from '../../src/trace/span.js';
import { SdkTracerProvider } from '../../src/trace/tracer-provider.js';
import { hrDiffNs } from '../../src/core/time.js';
import { sharedAttributes } from '../../src/core/shared-attributes.js';

const LIMITS: SpanLimits = {
  attributeCountLimit: 3,
  attributeValueLengthLimit: 5,
  eventCountLimit: 2,
  linkCountLimit: 1,
  attributePerEventCountLimit: 1,
  attributePerLinkCountLimit: 1,
};

function setup(sampler = alwaysOn, limits = LIMITS) {
  const ended: SdkSpan[] = [];
  const provider = new SdkTracerProvider({ sampler, limits, resource: { attributes: { 'service.name': 't' } }, listener: { onEnd: (s) => ended.push(s) } });
  return { tracer: provider.getTracer('test', '1.2.3'), provider, ended };
}

test('a root span gets fresh valid ids and a child inherits the trace id and parent', () => {
  const { tracer, ended } = setup();
  const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
  const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
  child.end();
  parent.end();
  const [c, p] = ended;
  assert.match(p!.traceId, /^[0-9a-f]{32}$/);
  assert.match(p!.spanId, /^[0-9a-f]{16}$/);
  assert.equal(c!.traceId, p!.traceId);
  assert.equal(c!.parentSpanId, p!.spanId);
  assert.equal(p!.parentSpanId, undefined);
  assert.equal(p!.kind, SpanKind.SERVER);
  assert.deepEqual(p!.scope, { name: 'test', version: '1.2.3', schemaUrl: undefined });
  assert.ok(hrDiffNs(p!.endTime, p!.startTime) >= 0);
});

test('startActiveSpan makes the span active inside the callback and returns its result', () => {
  const { tracer } = setup();
  const result = tracer.startActiveSpan('outer', (outer) => {
    const inner = tracer.startSpan('inner') as SdkSpan;
    outer.end();
    return inner.parentSpanId === outer.spanContext().spanId;
  });
  assert.equal(result, true);
});

test('attribute limits drop extra keys, truncate long strings and ignore invalid values', () => {
  const { tracer, ended } = setup();
  const span = tracer.startSpan('s');
  span.setAttribute('a', 'abcdefgh');
  span.setAttribute('b', ['long-string', 'ok']);
  span.setAttribute('bad', { nested: true } as never);
  span.setAttribute('mixed', [1, 'x'] as never);
  span.setAttribute('c', 3);
  span.setAttribute('d', 4);
  span.setAttribute('a', 'again');
  span.end();
  const done = ended[0]!;
  assert.deepEqual(done.attributes, { a: 'again', b: ['long-', 'ok'], c: 3 });
  assert.equal(done.droppedAttributesCount, 1);
});

test('ids stay valid and distinct across many spans (ids are cut from a shared random string)', () => {
  const { tracer } = setup();
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const { traceId, spanId } = tracer.startSpan('s').spanContext();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    assert.match(spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(traceId, '0'.repeat(32));
    seen.add(traceId).add(spanId);
  }
  assert.equal(seen.size, 4000);
});

test('the attributes a span starts with are copied whole when all are valid, and checked one by one otherwise', () => {
  const { tracer, ended } = setup(alwaysOn, { ...LIMITS, attributeValueLengthLimit: Infinity });
  const given: Record<string, unknown> = { a: 1, b: 'x', c: [1, 2] };
  tracer.startSpan('valid', { attributes: given as never }).end();
  given.a = 2;
  given.d = 'late';
  const inherited = Object.assign(Object.create({ inheritedKey: 'no' }), { a: 1 });
  tracer.startSpan('inherited', { attributes: inherited }).end();
  tracer.startSpan('invalid', { attributes: { a: 1, bad: { nested: true }, none: undefined, '': 'empty', b: 2 } as never }).end();
  tracer.startSpan('too many', { attributes: { a: 1, b: 2, c: 3, d: 4, e: 5 } }).end();
  const after = tracer.startSpan('then more', { attributes: { a: 1 } });
  after.setAttributes({ b: 2, bad: {} as never });
  after.setAttribute('c', 3);
  after.setAttributes({ d: 4 });
  after.end();
  const byName = new Map(ended.map((span) => [span.name, span]));
  // A copy: the caller changing its object afterwards changes nothing.
  assert.deepEqual(byName.get('valid')!.attributes, { a: 1, b: 'x', c: [1, 2] });
  assert.notEqual(byName.get('valid')!.attributes, given);
  assert.deepEqual(byName.get('inherited')!.attributes, { a: 1 });
  assert.deepEqual(byName.get('invalid')!.attributes, { a: 1, b: 2 });
  assert.deepEqual(byName.get('too many')!.attributes, { a: 1, b: 2, c: 3 });
  assert.equal(byName.get('too many')!.droppedAttributesCount, 2);
  assert.deepEqual(byName.get('then more')!.attributes, { a: 1, b: 2, c: 3 });
  assert.equal(byName.get('then more')!.droppedAttributesCount, 1);
});

test('a span holds a shared attribute set as it is, and copies it on its first attribute of its own', () => {
  const { tracer, ended } = setup(alwaysOn, { ...LIMITS, attributeCountLimit: 4, attributeValueLengthLimit: Infinity });
  const set = sharedAttributes({ 'db.system.name': 'redis', 'db.operation.name': 'GET', tags: ['a', 'b'] });
  assert.ok(Object.isFrozen(set) && Object.isFrozen(set.tags), 'the set and its arrays are frozen');
  tracer.startSpan('as is', { attributes: set }).end();
  const extended = tracer.startSpan('extended', { attributes: set });
  extended.setAttribute('error.type', 'ECONNRESET');
  extended.setAttribute('db.operation.name', 'SET');
  extended.setAttribute('over.limit', 1);
  extended.end();
  const byName = new Map(ended.map((span) => [span.name, span]));
  assert.equal(byName.get('as is')!.attributes, set, 'no copy for a span that adds nothing');
  assert.deepEqual(byName.get('extended')!.attributes, { 'db.system.name': 'redis', 'db.operation.name': 'SET', tags: ['a', 'b'], 'error.type': 'ECONNRESET' });
  assert.deepEqual(Object.keys(byName.get('extended')!.attributes), ['db.system.name', 'db.operation.name', 'tags', 'error.type']);
  assert.equal(byName.get('extended')!.droppedAttributesCount, 1, 'the shared entries count toward the limit');
  assert.deepEqual(set, { 'db.system.name': 'redis', 'db.operation.name': 'GET', tags: ['a', 'b'] }, 'the shared set is unchanged');

  // A shared set over the count limit, or under a length limit, goes through the checks like any other.
  const { tracer: limited, ended: limitedEnded } = setup(alwaysOn, { ...LIMITS, attributeCountLimit: 2, attributeValueLengthLimit: 3 });
  limited.startSpan('limited', { attributes: set }).end();
  assert.deepEqual(limitedEnded[0]!.attributes, { 'db.system.name': 'red', 'db.operation.name': 'GET' });
  assert.equal(limitedEnded[0]!.droppedAttributesCount, 1);
});

test('a set with an invalid value is frozen but not shared: spans copy its valid entries', () => {
  const { tracer, ended } = setup(alwaysOn, { ...LIMITS, attributeValueLengthLimit: Infinity });
  const set = sharedAttributes({ a: 1, nested: { no: true } } as Record<string, unknown>);
  tracer.startSpan('s', { attributes: set as never }).end();
  assert.notEqual(ended[0]!.attributes, set);
  assert.deepEqual(ended[0]!.attributes, { a: 1 });
});

test('events and links honour their count limits and record dropped counts', () => {
  const { tracer, ended } = setup();
  const link = { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, traceState: createTraceState('k=v') }, attributes: { x: 1, y: 2 } };
  const span = tracer.startSpan('s', { links: [link, link] });
  span.addEvent('one', { p: 1, q: 2 });
  span.addEvent('two', [1700000000, 5]);
  span.addEvent('three');
  span.end();
  const done = ended[0]!;
  assert.equal(done.events.length, 2);
  assert.equal(done.droppedEventsCount, 1);
  assert.equal(done.events[0]!.droppedAttributesCount, 1);
  assert.deepEqual(done.events[1]!.time, [1700000000, 5]);
  assert.equal(done.links.length, 1);
  assert.equal(done.droppedLinksCount, 1);
  assert.equal(done.links[0]!.traceState, 'k=v');
  assert.equal(done.links[0]!.droppedAttributesCount, 1);
});

test('recordException adds an exception event with type, message and stack', () => {
  const { tracer, ended } = setup(alwaysOn, { ...LIMITS, attributePerEventCountLimit: 10, attributeValueLengthLimit: Infinity });
  const span = tracer.startSpan('s');
  span.recordException(new TypeError('bad input'));
  span.end();
  const event = ended[0]!.events[0]!;
  assert.equal(event.name, 'exception');
  assert.equal(event.attributes['exception.type'], 'TypeError');
  assert.equal(event.attributes['exception.message'], 'bad input');
  assert.match(String(event.attributes['exception.stacktrace']), /TypeError: bad input/);
});

test('status OK is final, UNSET never overrides, and only ERROR keeps a description', () => {
  const { tracer, ended } = setup();
  const a = tracer.startSpan('a');
  a.setStatus({ code: 2, message: 'broken' });
  a.setStatus({ code: 0 });
  a.end();
  const b = tracer.startSpan('b');
  b.setStatus({ code: 1, message: 'ignored' });
  b.setStatus({ code: 2, message: 'late' });
  b.end();
  assert.deepEqual(ended[0]!.status, { code: 2, message: 'broken' });
  assert.deepEqual(ended[1]!.status, { code: 1 });
});

test('a span ended twice is reported once, and changes after end are ignored', () => {
  const { tracer, ended } = setup();
  const span = tracer.startSpan('s');
  span.end();
  span.setAttribute('late', true);
  span.updateName('renamed');
  span.end();
  assert.equal(ended.length, 1);
  assert.equal(ended[0]!.name, 's');
  assert.deepEqual(ended[0]!.attributes, {});
});

test('a suppressed context yields a non-recording span', () => {
  const { tracer, ended } = setup();
  const span = runWithContext(suppressed(ROOT_CONTEXT), () => tracer.startSpan('s'));
  assert.equal(span.isRecording(), false);
  span.end();
  assert.equal(ended.length, 0);
});

test('always_off drops spans but keeps a propagatable span context', () => {
  const { tracer, ended } = setup(alwaysOff);
  const span = tracer.startSpan('s');
  assert.equal(span.isRecording(), false);
  assert.equal(span.spanContext().traceFlags, 0);
  assert.match(span.spanContext().traceId, /^[0-9a-f]{32}$/);
  span.end();
  assert.equal(ended.length, 0);
});

test('parent-based sampling follows the parent flag for remote and local parents', () => {
  const sampler = parentBased(alwaysOff);
  const sampledParent = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true };
  assert.equal(sampler.shouldSample(sampledParent, 'a'.repeat(32), 'x', 0, undefined).decision, 2);
  assert.equal(sampler.shouldSample({ ...sampledParent, traceFlags: 0 }, 'a'.repeat(32), 'x', 0, undefined).decision, 0);
  assert.equal(sampler.shouldSample(undefined, 'a'.repeat(32), 'x', 0, undefined).decision, 0);
});

test('traceidratio keeps about the configured share of traces, decided by the trace id alone', async () => {
  const { newTraceId } = await import('../../src/trace/ids.js');
  const sampler = traceIdRatio(0.25);
  let kept = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) if (sampler.shouldSample(undefined, newTraceId(), 'x', 0, undefined).decision === 2) kept++;
  assert.ok(Math.abs(kept / n - 0.25) < 0.02, `kept ${kept / n}`);
  // Low 56 bits all ones: kept at any ratio above 0; all zeros: dropped below 1.
  assert.equal(sampler.shouldSample(undefined, '00000000000000000' + 'f'.repeat(15), 'x', 0, undefined).decision, 2);
  assert.equal(sampler.shouldSample(undefined, 'f'.repeat(18) + '0'.repeat(14), 'x', 0, undefined).decision, 0);
  assert.equal(traceIdRatio(1).shouldSample(undefined, '0'.repeat(32), 'x', 0, undefined).decision, 2);
});

test('createSampler maps every OTEL_TRACES_SAMPLER name', () => {
  assert.equal(createSampler('always_on', 1).toString(), 'AlwaysOnSampler');
  assert.equal(createSampler('always_off', 1).toString(), 'AlwaysOffSampler');
  assert.equal(createSampler('traceidratio', 0.5).toString(), 'TraceIdRatioBased{0.5}');
  assert.equal(createSampler('parentbased_always_on', 1).toString(), 'ParentBased{root=AlwaysOnSampler}');
  assert.equal(createSampler('parentbased_always_off', 1).toString(), 'ParentBased{root=AlwaysOffSampler}');
  assert.equal(createSampler('parentbased_traceidratio', 0.1).toString(), 'ParentBased{root=TraceIdRatioBased{0.1}}');
});

test('the provider hands out one tracer per scope', () => {
  const { provider } = setup();
  assert.equal(provider.getTracer('a', '1'), provider.getTracer('a', '1'));
  assert.notEqual(provider.getTracer('a', '1'), provider.getTracer('a', '2'));
});
