import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTextMapGetter, defaultTextMapSetter, propagation, trace, createTraceState } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { traceContextPropagator } from '../../src/context/propagation/tracecontext.js';
import { baggagePropagator } from '../../src/context/propagation/baggage.js';
import { b3Multi, b3Single } from '../../src/context/propagation/b3.js';
import { jaegerPropagator } from '../../src/context/propagation/jaeger.js';
import { compositePropagator } from '../../src/context/propagation/composite.js';
import { suppressed } from '../../src/context/suppress.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function withSpan(flags = 1) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: flags,
    traceState: createTraceState('vendor=value,other=1'),
  });
}

test('traceparent and tracestate are injected from the active span context', () => {
  const carrier: Record<string, string> = {};
  traceContextPropagator.inject(withSpan(), carrier, defaultTextMapSetter);
  assert.equal(carrier.traceparent, `00-${TRACE_ID}-${SPAN_ID}-01`);
  assert.equal(carrier.tracestate, 'vendor=value,other=1');
});

test('nothing is injected while tracing is suppressed', () => {
  const carrier: Record<string, string> = {};
  traceContextPropagator.inject(suppressed(withSpan()), carrier, defaultTextMapSetter);
  assert.deepEqual(carrier, {});
});

test('a valid traceparent is extracted as a remote parent', () => {
  const ctx = traceContextPropagator.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'a=b' }, defaultTextMapGetter);
  const sc = trace.getSpanContext(ctx)!;
  assert.equal(sc.traceId, TRACE_ID);
  assert.equal(sc.spanId, SPAN_ID);
  assert.equal(sc.traceFlags, 1);
  assert.equal(sc.isRemote, true);
  assert.equal(sc.traceState?.get('a'), 'b');
});

test('malformed, all-zero, version ff and extra-field version 00 traceparents are ignored', () => {
  for (const header of [
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `ff-${TRACE_ID}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
    `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
  ]) {
    const ctx = traceContextPropagator.extract(ROOT_CONTEXT, { traceparent: header }, defaultTextMapGetter);
    assert.equal(trace.getSpanContext(ctx), undefined, header);
  }
});

test('a future version with extra fields is accepted', () => {
  const ctx = traceContextPropagator.extract(ROOT_CONTEXT, { traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-whatever` }, defaultTextMapGetter);
  assert.equal(trace.getSpanContext(ctx)?.traceId, TRACE_ID);
});

test('baggage round-trips with percent-encoding and metadata', () => {
  const baggage = propagation.createBaggage({ user: { value: 'alice smith' }, 'k,1': { value: 'v=1' } });
  const carrier: Record<string, string> = {};
  baggagePropagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), carrier, defaultTextMapSetter);
  assert.equal(carrier.baggage, 'user=alice%20smith,k%2C1=v%3D1');
  const extracted = propagation.getBaggage(baggagePropagator.extract(ROOT_CONTEXT, { baggage: `${carrier.baggage},bad,x=y;prop=1` }, defaultTextMapGetter))!;
  assert.equal(extracted.getEntry('user')?.value, 'alice smith');
  assert.equal(extracted.getEntry('k,1')?.value, 'v=1');
  assert.equal(extracted.getEntry('x')?.value, 'y');
  assert.equal(extracted.getEntry('x')?.metadata?.toString(), 'prop=1');
  assert.equal(extracted.getAllEntries().length, 3);
});

test('baggage keeps any valid key, __proto__ and constructor included, and round-trips it', () => {
  const header = '__proto__=polluted;prop=1,constructor=c,a=1';
  const extracted = propagation.getBaggage(baggagePropagator.extract(ROOT_CONTEXT, { baggage: header }, defaultTextMapGetter))!;
  assert.deepEqual(
    extracted.getAllEntries().map(([key, entry]) => [key, entry.value]),
    [['__proto__', 'polluted'], ['constructor', 'c'], ['a', '1']],
  );
  assert.equal(extracted.getEntry('__proto__')?.value, 'polluted');
  assert.equal(extracted.getEntry('__proto__')?.metadata?.toString(), 'prop=1');
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched');
  const carrier: Record<string, string> = {};
  baggagePropagator.inject(propagation.setBaggage(ROOT_CONTEXT, extracted), carrier, defaultTextMapSetter);
  assert.equal(carrier.baggage, '__proto__=polluted;prop=1,constructor=c,a=1');
  // The baggage object itself: set, read and remove the key like any other.
  const set = extracted.removeEntry('__proto__').setEntry('__proto__', { value: 'again' });
  assert.equal(set.getEntry('__proto__')?.value, 'again');
  assert.equal(set.removeEntries('__proto__').getEntry('__proto__'), undefined);
});

test('jaeger uberctx- baggage keeps the key __proto__ and takes no key from an entry object', () => {
  const ctx = jaegerPropagator.extract(ROOT_CONTEXT, { 'uberctx-__proto__': 'polluted', 'uberctx-a': '1' }, defaultTextMapGetter);
  const baggage = propagation.getBaggage(ctx)!;
  assert.deepEqual(
    baggage.getAllEntries().map(([key, entry]) => [key, entry.value]).sort(),
    [['__proto__', 'polluted'], ['a', '1']],
  );
});

test('b3 single and multi headers round-trip the span context', () => {
  for (const propagator of [b3Single, b3Multi]) {
    const carrier: Record<string, string> = {};
    propagator.inject(withSpan(1), carrier, defaultTextMapSetter);
    const sc = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))!;
    assert.equal(sc.traceId, TRACE_ID);
    assert.equal(sc.spanId, SPAN_ID);
    assert.equal(sc.traceFlags, 1);
  }
  const short = trace.getSpanContext(b3Single.extract(ROOT_CONTEXT, { b3: `8448eb211c80319c-${SPAN_ID}-0` }, defaultTextMapGetter))!;
  assert.equal(short.traceId, '00000000000000008448eb211c80319c');
  assert.equal(short.traceFlags, 0);
});

test('jaeger uber-trace-id round-trips, including a url-encoded header', () => {
  const carrier: Record<string, string> = {};
  jaegerPropagator.inject(withSpan(1), carrier, defaultTextMapSetter);
  assert.equal(carrier['uber-trace-id'], `${TRACE_ID}:${SPAN_ID}:0:01`);
  const encoded = { 'uber-trace-id': encodeURIComponent(carrier['uber-trace-id']!), 'uberctx-user': 'bob' };
  const ctx = jaegerPropagator.extract(ROOT_CONTEXT, encoded, defaultTextMapGetter);
  assert.equal(trace.getSpanContext(ctx)?.spanId, SPAN_ID);
  assert.equal(propagation.getBaggage(ctx)?.getEntry('user')?.value, 'bob');
});

test('a composite runs every propagator and survives one that throws', () => {
  const broken = { inject() { throw new Error('x'); }, extract() { throw new Error('x'); }, fields: () => ['broken'] };
  const composite = compositePropagator([broken, traceContextPropagator, baggagePropagator]);
  const carrier: Record<string, string> = {};
  composite.inject(withSpan(), carrier, defaultTextMapSetter);
  assert.equal(carrier.traceparent, `00-${TRACE_ID}-${SPAN_ID}-01`);
  assert.deepEqual(composite.fields(), ['broken', 'traceparent', 'tracestate', 'baggage']);
  assert.equal(trace.getSpanContext(composite.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))?.spanId, SPAN_ID);
});
