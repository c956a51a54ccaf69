// One collection rendered in the Prometheus text exposition format (version 0.0.4). Mapping per
// the OpenTelemetry spec: monotonic cumulative sums are counters, non-monotonic sums and gauges
// are gauges, cumulative histograms are `_bucket{le}`/`_sum`/`_count`; delta data is dropped
// (storage is cumulative whenever Prometheus is configured, so none is expected). Every point
// carries otel_scope_name/otel_scope_version; the resource becomes one `target_info` gauge.

import { warnOnce } from '../../diag/log.js';
import { Temporality, type HistogramPoint, type MetricData, type NumberPoint, type ResourceMetrics } from '../../metrics/metric-data.js';
import type { Attributes, InstrumentationScope } from '../../core/types.js';
import { prometheusMetricName, toLabels } from './translate-names.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type FamilyType = 'counter' | 'gauge' | 'histogram';

interface Family {
  readonly type: FamilyType;
  readonly help: string;
  readonly samples: string[];
}

const LABEL_VALUE_SPECIALS = /[\\"\n]/g;
const HELP_SPECIALS = /[\\\n]/g;

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : `\\${c}`;
}

export function escapeLabelValue(value: string): string {
  return value.replace(LABEL_VALUE_SPECIALS, escapeChar);
}

export function escapeHelp(text: string): string {
  return text.replace(HELP_SPECIALS, escapeChar);
}

export function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function labelPairs(pairs: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [name, value] of pairs) out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  return out;
}

/** Point attributes then scope labels; attributes that would shadow a label we set are dropped. */
function pointLabels(attributes: Attributes, scopeLabels: readonly [string, string][], histogram: boolean): string {
  const pairs: [string, string][] = [];
  for (const pair of toLabels(attributes)) {
    const name = pair[0];
    if (name === 'otel_scope_name' || name === 'otel_scope_version' || (histogram && name === 'le')) continue;
    pairs.push(pair);
  }
  for (const pair of scopeLabels) pairs.push(pair);
  return labelPairs(pairs);
}

function sample(name: string, labels: string, value: number): string {
  return labels === '' ? `${name} ${formatValue(value)}` : `${name}{${labels}} ${formatValue(value)}`;
}

function addNumberPoints(family: Family, name: string, points: readonly NumberPoint[], scopeLabels: [string, string][]): void {
  for (const point of points) family.samples.push(sample(name, pointLabels(point.attributes, scopeLabels, false), point.value));
}

function addHistogramPoints(family: Family, name: string, points: readonly HistogramPoint[], scopeLabels: [string, string][]): void {
  for (const point of points) {
    const labels = pointLabels(point.attributes, scopeLabels, true);
    const prefix = labels === '' ? '' : `${labels},`;
    // Prometheus buckets are cumulative: each `le` counts every value at or below it.
    let running = 0;
    for (let i = 0; i < point.bucketCounts.length; i++) {
      running += point.bucketCounts[i]!;
      const le = i < point.bounds.length ? formatValue(point.bounds[i]!) : '+Inf';
      family.samples.push(`${name}_bucket{${prefix}le="${le}"} ${formatValue(running)}`);
    }
    family.samples.push(sample(`${name}_sum`, labels, point.sum));
    family.samples.push(sample(`${name}_count`, labels, point.count));
  }
}

function familyOf(metric: MetricData): { name: string; type: FamilyType } | undefined {
  switch (metric.kind) {
    case 'gauge':
      return { name: prometheusMetricName(metric.name, metric.unit, false), type: 'gauge' };
    case 'sum':
      if (metric.temporality !== Temporality.Cumulative) return undefined;
      return metric.isMonotonic
        ? { name: prometheusMetricName(metric.name, metric.unit, true), type: 'counter' }
        : { name: prometheusMetricName(metric.name, metric.unit, false), type: 'gauge' };
    case 'histogram':
      if (metric.temporality !== Temporality.Cumulative) return undefined;
      return { name: prometheusMetricName(metric.name, metric.unit, false), type: 'histogram' };
  }
}

function scopeLabelsOf(scope: InstrumentationScope): [string, string][] {
  // On every point, even empty (spec); Prometheus stores an empty label as no label.
  return [
    ['otel_scope_name', scope.name],
    ['otel_scope_version', scope.version ?? ''],
  ];
}

function targetInfo(resource: ResourceMetrics['resource']): string {
  const labels = labelPairs(toLabels(resource.attributes));
  if (labels === '') return '';
  return `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{${labels}} 1\n`;
}

export function renderText(rm: ResourceMetrics): string {
  const families = new Map<string, Family>();
  for (const scopeMetrics of rm.scopeMetrics) {
    const scopeLabels = scopeLabelsOf(scopeMetrics.scope);
    for (const metric of scopeMetrics.metrics) {
      const target = familyOf(metric);
      if (target === undefined) {
        warnOnce(`prometheus.delta.${metric.name}`, `prometheus: metric "${metric.name}" has delta temporality and is not exposed`);
        continue;
      }
      let family = families.get(target.name);
      if (family === undefined) {
        family = { type: target.type, help: metric.description, samples: [] };
        families.set(target.name, family);
      } else if (family.type !== target.type) {
        // One name, one TYPE per scrape (spec): the later, conflicting metric is dropped whole.
        warnOnce(`prometheus.conflict.${target.name}`, `prometheus: metric "${metric.name}" would be exposed as ${target.type} "${target.name}", which is already a ${family.type}; it is dropped`);
        continue;
      }
      if (metric.kind === 'histogram') addHistogramPoints(family, target.name, metric.points, scopeLabels);
      else addNumberPoints(family, target.name, metric.points, scopeLabels);
    }
  }
  let out = targetInfo(rm.resource);
  for (const [name, family] of families) {
    if (family.samples.length === 0) continue;
    if (family.help !== '') out += `# HELP ${name} ${escapeHelp(family.help)}\n`;
    out += `# TYPE ${name} ${family.type}\n`;
    out += `${family.samples.join('\n')}\n`;
  }
  return out;
}
