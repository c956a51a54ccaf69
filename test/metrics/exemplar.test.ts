import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace, TraceFlags } from '@opentelemetry/api';
import { runWithContext } from '../../src/context/als-context-manager.js';
import { ROOT_CONTEXT } from '../../src/context/context.js';
import { histogramPoints, numberPoints, setup } from './metric-helpers.js';

const TRACE_ID = 'a'.repeat(32);
const SPAN_ID = 'b'.repeat(16);
const SAMPLED = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
const UNSAMPLED = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE });

function add(counter: { add(v: number): void }, v: number): void {
  counter.add(v);
}

test('trace_based keeps an exemplar only for measurements inside a sampled span', async () => {
  const { provider, meter } = setup('cumulative', 'trace_based');
  const counter = meter.createCounter('c');
  add(counter, 1);
  runWithContext(UNSAMPLED, add, counter, 2);
  assert.deepEqual(numberPoints(await provider.collect(), 'c')[0]!.exemplars, []);
  runWithContext(SAMPLED, add, counter, 3);
  add(counter, 4); // outside: does not replace the sampled one
  const [p] = numberPoints(await provider.collect(), 'c');
  assert.equal(p!.exemplars.length, 1);
  const ex = p!.exemplars[0]!;
  assert.equal(ex.value, 3);
  assert.equal(ex.traceId, TRACE_ID);
  assert.equal(ex.spanId, SPAN_ID);
  assert.deepEqual(ex.filteredAttributes, {});
  assert.ok(ex.time[0] > 1_600_000_000, 'epoch seconds');
  assert.deepEqual(numberPoints(await provider.collect(), 'c')[0]!.exemplars, [], 'exemplars are reported once');
});

test('the context argument is used instead of the active one', async () => {
  const { provider, meter } = setup('cumulative', 'trace_based');
  meter.createCounter('c').add(1, {}, SAMPLED);
  assert.equal(numberPoints(await provider.collect(), 'c')[0]!.exemplars[0]!.traceId, TRACE_ID);
});

test('always_on keeps the last measurement even outside a span, without ids', async () => {
  const { provider, meter } = setup('cumulative', 'always_on');
  const counter = meter.createCounter('c');
  add(counter, 1);
  add(counter, 2);
  const ex = numberPoints(await provider.collect(), 'c')[0]!.exemplars;
  assert.equal(ex.length, 1);
  assert.equal(ex[0]!.value, 2);
  assert.equal(ex[0]!.traceId, undefined);
});

test('always_off never records exemplars', async () => {
  const { provider, meter } = setup('cumulative', 'always_off');
  const counter = meter.createCounter('c');
  runWithContext(SAMPLED, add, counter, 1);
  assert.deepEqual(numberPoints(await provider.collect(), 'c')[0]!.exemplars, []);
});

test('histograms keep the last sampled measurement of each bucket', async () => {
  const { provider, meter } = setup('delta', 'trace_based');
  const h = meter.createHistogram('h', { advice: { explicitBucketBoundaries: [10] } });
  const record = (v: number) => h.record(v);
  runWithContext(SAMPLED, record, 1);
  runWithContext(SAMPLED, record, 2);
  runWithContext(SAMPLED, record, 50);
  record(60);
  const [p] = histogramPoints(await provider.collect(), 'h');
  assert.deepEqual(p!.exemplars.map((e) => e.value), [2, 50]);
  assert.ok(p!.exemplars.every((e) => e.traceId === TRACE_ID && e.spanId === SPAN_ID));
});
