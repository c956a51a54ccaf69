import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metric, numberPoints, setup } from './metric-helpers.js';

test('getMeter returns the same meter for the same scope and another for a different version', () => {
  const { provider } = setup();
  const a = provider.getMeter('lib', '1.0.0', { schemaUrl: 'https://s' });
  assert.equal(provider.getMeter('lib', '1.0.0', { schemaUrl: 'https://s' }), a);
  assert.notEqual(provider.getMeter('lib', '2.0.0', { schemaUrl: 'https://s' }), a);
  assert.notEqual(provider.getMeter('lib', '1.0.0'), a);
});

test('each meter reports under its own instrumentation scope', async () => {
  const { provider } = setup();
  provider.getMeter('one', '1').createCounter('c').add(1);
  provider.getMeter('two', undefined, { schemaUrl: 'https://x' }).createCounter('c').add(2);
  const rm = await provider.collect();
  assert.deepEqual(rm.scopeMetrics.map((s) => s.scope), [
    { name: 'one', version: '1', schemaUrl: undefined },
    { name: 'two', version: undefined, schemaUrl: 'https://x' },
  ]);
  assert.deepEqual(rm.resource, { attributes: { 'service.name': 't' } });
});

test('registering the same name and kind again (any case) returns the existing instrument', async () => {
  const { provider, meter } = setup();
  const first = meter.createCounter('Requests', { unit: 'ms' });
  const again = meter.createCounter('requests', { unit: 's', description: 'different' });
  assert.equal(again, first);
  first.add(1);
  again.add(2);
  const rm = await provider.collect();
  const m = metric(rm, 'Requests')!;
  assert.equal(m.unit, 'ms', 'the first registration wins');
  assert.equal(numberPoints(rm, 'Requests')[0]!.value, 3);
});

test('the same name with another kind is a separate instrument', async () => {
  const { provider, meter } = setup();
  const counter = meter.createCounter('x');
  const histogram = meter.createHistogram('x');
  assert.notEqual(counter as unknown, histogram as unknown);
  counter.add(1);
  histogram.record(1);
  const rm = await provider.collect();
  assert.deepEqual(rm.scopeMetrics[0]!.metrics.map((m) => m.kind), ['sum', 'histogram']);
});

test('invalid instrument names give a no-op instrument that records nothing', async () => {
  const { provider, meter } = setup();
  const names = ['', '1abc', 'has space', 'a'.repeat(256), 'ünicode', 'bad*char'];
  for (const name of names) {
    meter.createCounter(name).add(1);
    meter.createHistogram(name).record(1);
    meter.createUpDownCounter(name).add(1);
    meter.createGauge(name).record(1);
    meter.createObservableGauge(name).addCallback((r) => r.observe(1));
  }
  meter.createCounter('a'.repeat(255)).add(1);
  meter.createCounter('ok_name.with/slash-dash').add(1);
  const rm = await provider.collect();
  assert.deepEqual(rm.scopeMetrics[0]!.metrics.map((m) => m.name), ['a'.repeat(255), 'ok_name.with/slash-dash']);
});

test('the provider works as the @opentelemetry/api global MeterProvider', async () => {
  const { metrics } = await import('@opentelemetry/api');
  const { provider } = setup();
  assert.equal(metrics.setGlobalMeterProvider(provider), true);
  try {
    const meter = metrics.getMeter('via-api', '2.0.0');
    meter.createCounter('api_counter').add(3, { a: 'b' });
    meter.createGauge('api_gauge').record(1);
    const rm = await provider.collect();
    assert.equal(numberPoints(rm, 'api_counter')[0]!.value, 3);
    assert.equal(rm.scopeMetrics[0]!.scope.name, 'via-api');
  } finally {
    metrics.disable();
  }
});
