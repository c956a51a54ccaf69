import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byAttr, metric, numberPoints, setup } from './metric-helpers.js';

test('a gauge reports the last recorded value per attribute set and keeps reporting it', async () => {
  const { provider, meter } = setup('delta');
  const gauge = meter.createGauge('temperature', { unit: 'Cel' });
  gauge.record(20, { room: 'a' });
  gauge.record(22, { room: 'a' });
  gauge.record(-5, { room: 'b' });
  const first = await provider.collect();
  const m = metric(first, 'temperature');
  assert.equal(m?.kind, 'gauge');
  assert.deepEqual(byAttr(numberPoints(first, 'temperature'), 'room'), { a: 22, b: -5 });
  gauge.record(23, { room: 'a' });
  const second = await provider.collect();
  assert.deepEqual(byAttr(numberPoints(second, 'temperature'), 'room'), { a: 23, b: -5 });
});

test('a gauge ignores NaN and infinite values', async () => {
  const { provider, meter } = setup();
  const gauge = meter.createGauge('g');
  gauge.record(1);
  gauge.record(NaN);
  gauge.record(-Infinity);
  assert.equal(numberPoints(await provider.collect(), 'g')[0]!.value, 1);
});
