// Metrics on stdout, one JSON line per metric per collection: name, unit, kind, temporality and
// its points (value, or count/sum/min/max/buckets), with the service they came from.

import type { HistogramPoint, MetricData, NumberPoint, ResourceMetrics } from '../../metrics/metric-data.js';
import { isoTime as iso } from './iso-time.js';
import type { Exporter } from '../../core/export-result.js';
import { createLineExporter } from './line-exporter.js';

const TEMPORALITY = ['', 'delta', 'cumulative'];

function pointJson(point: NumberPoint | HistogramPoint): object {
  const common = { attributes: { ...point.attributes }, start_time: iso(point.startTime), time: iso(point.time) };
  if ('bucketCounts' in point) {
    return { ...common, count: point.count, sum: point.sum, min: point.min ?? null, max: point.max ?? null, bounds: point.bounds, bucket_counts: point.bucketCounts };
  }
  return { ...common, value: point.value };
}

export function metricToJson(metric: MetricData, scope: string, service: unknown): object {
  return {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    kind: metric.kind,
    temporality: metric.kind === 'gauge' ? null : TEMPORALITY[metric.temporality],
    ...(metric.kind === 'sum' ? { monotonic: metric.isMonotonic } : {}),
    points: (metric.points as ReadonlyArray<NumberPoint | HistogramPoint>).map(pointJson),
    scope,
    service: service ?? null,
  };
}

function collectionToJson(resourceMetrics: ResourceMetrics): object[] {
  const service = resourceMetrics.resource.attributes['service.name'];
  const lines: object[] = [];
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    for (const metric of metrics) lines.push(metricToJson(metric, scope.name, service));
  }
  return lines;
}

export function createConsoleMetricExporter(write?: (text: string) => void): Exporter<ResourceMetrics> {
  return createLineExporter(collectionToJson, write);
}
