// Shared setup for the metrics unit tests (not a test file itself).

import type { ExemplarFilter } from '../../src/metrics/exemplar.js';
import type { TemporalityPreference } from '../../src/metrics/instruments.js';
import { SdkMeterProvider } from '../../src/metrics/meter-provider.js';
import type { HistogramPoint, MetricData, NumberPoint, ResourceMetrics } from '../../src/metrics/metric-data.js';

export function setup(temporalityPreference: TemporalityPreference = 'cumulative', exemplarFilter: ExemplarFilter = 'always_off') {
  const provider = new SdkMeterProvider({ resource: { attributes: { 'service.name': 't' } }, temporalityPreference, exemplarFilter });
  return { provider, meter: provider.getMeter('test', '1.0.0') };
}

export function metric(rm: ResourceMetrics, name: string): MetricData | undefined {
  for (const scope of rm.scopeMetrics) for (const m of scope.metrics) if (m.name === name) return m;
  return undefined;
}

export function numberPoints(rm: ResourceMetrics, name: string): NumberPoint[] {
  const m = metric(rm, name);
  if (m === undefined) return [];
  if (m.kind === 'histogram') throw new Error(`${name} is a histogram`);
  return m.points as NumberPoint[];
}

export function histogramPoints(rm: ResourceMetrics, name: string): HistogramPoint[] {
  const m = metric(rm, name);
  if (m === undefined) return [];
  if (m.kind !== 'histogram') throw new Error(`${name} is not a histogram`);
  return m.points as HistogramPoint[];
}

/** value by a single attribute's value, for compact assertions. */
export function byAttr(points: readonly NumberPoint[], key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of points) out[String(p.attributes[key])] = p.value;
  return out;
}
