// What a metric reader collects and an exporter encodes: the OTLP metrics data model, built
// directly by the aggregations (no intermediate representation before encoding).

import type { Attributes, HrTime, InstrumentationScope, Resource } from '../core/types.js';

/** OTLP AggregationTemporality numbers. */
export const enum Temporality {
  Delta = 1,
  Cumulative = 2,
}

export interface Exemplar {
  readonly time: HrTime;
  readonly value: number;
  /** Attributes recorded with the measurement but not kept on the point (none unless views filter). */
  readonly filteredAttributes: Attributes;
  /** Hex ids of the sampled span the measurement was recorded in, if any. */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
}

export interface NumberPoint {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly time: HrTime;
  readonly value: number;
  readonly exemplars: readonly Exemplar[];
}

export interface HistogramPoint {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly time: HrTime;
  readonly count: number;
  readonly sum: number;
  /** Undefined when no measurement was recorded in the period. */
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Explicit upper bounds; bucketCounts has bounds.length + 1 entries. */
  readonly bounds: readonly number[];
  readonly bucketCounts: readonly number[];
  readonly exemplars: readonly Exemplar[];
}

interface MetricBase {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Integer instruments encode as_int, others as_double. */
  readonly valueType: 'int' | 'double';
}

export interface SumMetric extends MetricBase {
  readonly kind: 'sum';
  readonly temporality: Temporality;
  readonly isMonotonic: boolean;
  readonly points: readonly NumberPoint[];
}

export interface GaugeMetric extends MetricBase {
  readonly kind: 'gauge';
  readonly points: readonly NumberPoint[];
}

export interface HistogramMetric extends MetricBase {
  readonly kind: 'histogram';
  readonly temporality: Temporality;
  readonly points: readonly HistogramPoint[];
}

export type MetricData = SumMetric | GaugeMetric | HistogramMetric;

export interface ScopeMetrics {
  readonly scope: InstrumentationScope;
  readonly metrics: readonly MetricData[];
}

/** One collection: the unit the metrics exporter receives (batch = one or more of these). */
export interface ResourceMetrics {
  readonly resource: Resource;
  readonly scopeMetrics: readonly ScopeMetrics[];
}
