import { test } from 'node:test';
import assert from 'node:assert/strict';
import { temporalityFor, type InstrumentKind, type TemporalityPreference } from '../../src/metrics/instruments.js';
import { Temporality } from '../../src/metrics/metric-data.js';
import { metric, setup } from './metric-helpers.js';

const D = Temporality.Delta;
const C = Temporality.Cumulative;
const KINDS: InstrumentKind[] = ['counter', 'observableCounter', 'histogram', 'upDownCounter', 'observableUpDownCounter'];
const EXPECTED: Record<TemporalityPreference, Temporality[]> = {
  cumulative: [C, C, C, C, C],
  delta: [D, D, D, C, C],
  lowmemory: [D, C, D, C, C],
};

for (const preference of ['cumulative', 'delta', 'lowmemory'] as const) {
  test(`the ${preference} preference picks the spec temporality for each instrument kind`, async () => {
    assert.deepEqual(KINDS.map((k) => temporalityFor(k, preference)), EXPECTED[preference]);
    const { provider, meter } = setup(preference);
    meter.createCounter('counter').add(1);
    meter.createObservableCounter('observableCounter').addCallback((r) => r.observe(1));
    meter.createHistogram('histogram').record(1);
    meter.createUpDownCounter('upDownCounter').add(1);
    meter.createObservableUpDownCounter('observableUpDownCounter').addCallback((r) => r.observe(1));
    const rm = await provider.collect();
    const got = KINDS.map((k) => (metric(rm, k) as { temporality: Temporality }).temporality);
    assert.deepEqual(got, EXPECTED[preference]);
  });
}
