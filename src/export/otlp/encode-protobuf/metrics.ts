// ExportMetricsServiceRequest written directly from ResourceMetrics (metrics.proto, metrics_service.proto).
// The input is already grouped; entries of one batch that share a resource (object identity) are merged, and
// within a resource, scopes equal by name + version + schemaUrl are merged. Metrics without points, and
// scopes/resources left empty by that, are not written (no empty envelopes).

import { Writer } from './writer.js';
import type { InstrumentationScope, Resource } from '../../../core/types.js';
import type { Exemplar, HistogramPoint, MetricData, NumberPoint, ResourceMetrics } from '../../../metrics/metric-data.js';
import { decodePartialSuccess, writeAttributes, writeFixed64, writeFixed64Time, writeHexId, writeResource, writeScope } from './common.js';

// ExportMetricsServiceRequest / ResourceMetrics / ScopeMetrics
const REQ_RESOURCE_METRICS = 10; // 1
const RM_RESOURCE = 10; // 1
const RM_SCOPE_METRICS = 18; // 2
const RM_SCHEMA_URL = 26; // 3
const SM_SCOPE = 10; // 1
const SM_METRICS = 18; // 2
const SM_SCHEMA_URL = 26; // 3
// Metric
const METRIC_NAME = 10; // 1 string
const METRIC_DESCRIPTION = 18; // 2 string
const METRIC_UNIT = 26; // 3 string
const METRIC_GAUGE = 42; // 5 Gauge
const METRIC_SUM = 58; // 7 Sum
const METRIC_HISTOGRAM = 74; // 9 Histogram
// Gauge / Sum / Histogram
const DATA_POINTS = 10; // 1 (all three)
const AGGREGATION_TEMPORALITY = 16; // 2 enum (Sum, Histogram)
const SUM_IS_MONOTONIC = 24; // 3 bool
// NumberDataPoint
const NDP_START = 17; // 2 fixed64
const NDP_TIME = 25; // 3 fixed64
const NDP_AS_DOUBLE = 33; // 4 double
const NDP_EXEMPLARS = 42; // 5
const NDP_AS_INT = 49; // 6 sfixed64
const NDP_ATTRIBUTES = 58; // 7
// HistogramDataPoint
const HDP_START = 17; // 2 fixed64
const HDP_TIME = 25; // 3 fixed64
const HDP_COUNT = 33; // 4 fixed64
const HDP_SUM = 41; // 5 optional double
const HDP_BUCKET_COUNTS = 50; // 6 repeated fixed64, packed
const HDP_EXPLICIT_BOUNDS = 58; // 7 repeated double, packed
const HDP_EXEMPLARS = 66; // 8
const HDP_ATTRIBUTES = 74; // 9
const HDP_MIN = 89; // 11 optional double
const HDP_MAX = 97; // 12 optional double
// Exemplar
const EX_TIME = 17; // 2 fixed64
const EX_AS_DOUBLE = 25; // 3 double
const EX_SPAN_ID = 34; // 4 bytes
const EX_TRACE_ID = 42; // 5 bytes
const EX_AS_INT = 49; // 6 sfixed64
const EX_FILTERED_ATTRIBUTES = 58; // 7

const TWO_POW_32 = 4294967296;
const INT64_MIN = -9223372036854775808;
const INT64_MAX_EXCLUSIVE = 9223372036854775808;

/** An entry of the merged request: one resource and its scopes, each with the metrics that have points. */
export interface MetricsGroup {
  readonly resource: Resource;
  readonly scopes: { readonly scope: InstrumentationScope; readonly metrics: MetricData[] }[];
}

function scopeKey(scope: InstrumentationScope): string {
  return `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
}

/**
 * Merges a batch by resource identity, then by scope name + version + schemaUrl, in first-seen order, and
 * leaves out metrics without points and the scopes and resources that end up empty. Shared with the JSON encoder.
 */
export function groupResourceMetrics(batch: readonly ResourceMetrics[]): MetricsGroup[] {
  const out: MetricsGroup[] = [];
  const byResource = batch.length > 1 ? new Map<Resource, { group: MetricsGroup; byScope: Map<string, MetricData[]> }>() : undefined;
  for (let r = 0; r < batch.length; r++) {
    const rm = batch[r];
    let entry = byResource?.get(rm.resource);
    if (entry === undefined) {
      entry = { group: { resource: rm.resource, scopes: [] }, byScope: new Map() };
      byResource?.set(rm.resource, entry);
      out.push(entry.group);
    }
    const scopeMetrics = rm.scopeMetrics;
    for (let s = 0; s < scopeMetrics.length; s++) {
      const sm = scopeMetrics[s];
      const metrics = sm.metrics;
      let list: MetricData[] | undefined;
      for (let m = 0; m < metrics.length; m++) {
        const metric = metrics[m];
        if (metric.points.length === 0) continue;
        if (list === undefined) {
          const key = scopeKey(sm.scope);
          list = entry.byScope.get(key);
          if (list === undefined) {
            list = [];
            entry.byScope.set(key, list);
            entry.group.scopes.push({ scope: sm.scope, metrics: list });
          }
        }
        list.push(metric);
      }
    }
  }
  // Resources whose scopes were all empty.
  let empty = 0;
  for (let i = 0; i < out.length; i++) if (out[i].scopes.length === 0) empty++;
  return empty === 0 ? out : out.filter((g) => g.scopes.length > 0);
}

/** True when at least one metric of the batch has a point (otherwise there is nothing to send). */
export function hasMetricPoints(batch: readonly ResourceMetrics[]): boolean {
  for (let r = 0; r < batch.length; r++) {
    const scopeMetrics = batch[r].scopeMetrics;
    for (let s = 0; s < scopeMetrics.length; s++) {
      const metrics = scopeMetrics[s].metrics;
      for (let m = 0; m < metrics.length; m++) if (metrics[m].points.length > 0) return true;
    }
  }
  return false;
}

/** Encodes a batch as an ExportMetricsServiceRequest. Throws only on programming errors (the exporter catches). */
export function encodeMetricsRequest(batch: readonly ResourceMetrics[]): Uint8Array {
  const w = Writer.create();
  try {
    writeGroups(w, groupResourceMetrics(batch));
    return w.finish();
  } finally {
    w.release(); // after a throw: frees the shared scratch for the next encode
  }
}

function writeGroups(w: Writer, groups: MetricsGroup[]): void {
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r];
    w.uint32(REQ_RESOURCE_METRICS).fork();
    writeResource(w, RM_RESOURCE, resource);
    for (let s = 0; s < scopes.length; s++) {
      const { scope, metrics } = scopes[s];
      w.uint32(RM_SCOPE_METRICS).fork();
      writeScope(w, SM_SCOPE, scope);
      for (let m = 0; m < metrics.length; m++) writeMetric(w, metrics[m]);
      if (scope.schemaUrl) w.uint32(SM_SCHEMA_URL).string(scope.schemaUrl);
      w.ldelim();
    }
    if (resource.schemaUrl) w.uint32(RM_SCHEMA_URL).string(resource.schemaUrl);
    w.ldelim();
  }
}

function writeMetric(w: Writer, metric: MetricData): void {
  w.uint32(SM_METRICS).fork();
  if (metric.name) w.uint32(METRIC_NAME).string(metric.name);
  if (metric.description) w.uint32(METRIC_DESCRIPTION).string(metric.description);
  if (metric.unit) w.uint32(METRIC_UNIT).string(metric.unit);
  const asInt = metric.valueType === 'int';
  switch (metric.kind) {
    case 'sum': {
      w.uint32(METRIC_SUM).fork();
      const points = metric.points;
      for (let i = 0; i < points.length; i++) writeNumberPoint(w, points[i], asInt);
      if (metric.temporality) w.uint32(AGGREGATION_TEMPORALITY).uint32(metric.temporality);
      if (metric.isMonotonic) w.uint32(SUM_IS_MONOTONIC).bool(true);
      w.ldelim();
      break;
    }
    case 'gauge': {
      w.uint32(METRIC_GAUGE).fork();
      const points = metric.points;
      for (let i = 0; i < points.length; i++) writeNumberPoint(w, points[i], asInt);
      w.ldelim();
      break;
    }
    case 'histogram': {
      w.uint32(METRIC_HISTOGRAM).fork();
      const points = metric.points;
      for (let i = 0; i < points.length; i++) writeHistogramPoint(w, points[i], asInt);
      if (metric.temporality) w.uint32(AGGREGATION_TEMPORALITY).uint32(metric.temporality);
      w.ldelim();
      break;
    }
  }
  w.ldelim();
}

/**
 * Writes `value` under an as_int (sfixed64) tag when it is an integer in the int64 range, else under the
 * as_double tag: an integer instrument never loses a value, even a malformed one.
 */
function writeValue(w: Writer, intTag: number, doubleTag: number, value: number, asInt: boolean): void {
  if (asInt && Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
    w.uint32(intTag);
    writeSfixed64(w, value);
  } else {
    w.uint32(doubleTag).double(value);
  }
}

/**
 * The 8 little-endian two's-complement bytes of an integer in the int64 range (caller checked), without BigInt.
 * hi = floor(v / 2^32) and lo = v - hi * 2^32 are exact for every such double.
 */
function writeSfixed64(w: Writer, v: number): void {
  if (v >= 0 && v < TWO_POW_32) {
    writeFixed64(w, v, 0);
    return;
  }
  const hi = Math.floor(v / TWO_POW_32);
  writeFixed64(w, v - hi * TWO_POW_32, hi >>> 0);
}

/** Unsigned counts (fixed64); negative or fractional input is clamped/truncated rather than wrapped. */
function writeFixed64Count(w: Writer, c: number): void {
  if (c >= 0 && c < TWO_POW_32) {
    writeFixed64(w, c >>> 0, 0);
    return;
  }
  if (!(c > 0)) {
    writeFixed64(w, 0, 0); // negative or NaN
    return;
  }
  if (c >= 18446744073709551616) {
    writeFixed64(w, 0xffffffff, 0xffffffff);
    return;
  }
  const t = Math.trunc(c);
  const hi = Math.floor(t / TWO_POW_32);
  writeFixed64(w, t - hi * TWO_POW_32, hi >>> 0);
}

function writeNumberPoint(w: Writer, p: NumberPoint, asInt: boolean): void {
  w.uint32(DATA_POINTS).fork();
  w.uint32(NDP_START);
  writeFixed64Time(w, p.startTime);
  w.uint32(NDP_TIME);
  writeFixed64Time(w, p.time);
  writeValue(w, NDP_AS_INT, NDP_AS_DOUBLE, p.value, asInt);
  const exemplars = p.exemplars;
  for (let i = 0; i < exemplars.length; i++) writeExemplar(w, NDP_EXEMPLARS, exemplars[i], asInt);
  writeAttributes(w, NDP_ATTRIBUTES, p.attributes);
  w.ldelim();
}

function writeHistogramPoint(w: Writer, p: HistogramPoint, asInt: boolean): void {
  w.uint32(DATA_POINTS).fork();
  w.uint32(HDP_START);
  writeFixed64Time(w, p.startTime);
  w.uint32(HDP_TIME);
  writeFixed64Time(w, p.time);
  w.uint32(HDP_COUNT);
  writeFixed64Count(w, p.count);
  w.uint32(HDP_SUM).double(p.sum);
  const counts = p.bucketCounts;
  const n = counts.length;
  if (n > 0) {
    w.uint32(HDP_BUCKET_COUNTS).uint32(n * 8);
    for (let i = 0; i < n; i++) writeFixed64Count(w, counts[i]);
  }
  const bounds = p.bounds;
  const b = bounds.length;
  if (b > 0) {
    w.uint32(HDP_EXPLICIT_BOUNDS).uint32(b * 8);
    for (let i = 0; i < b; i++) w.double(bounds[i]);
  }
  const exemplars = p.exemplars;
  for (let i = 0; i < exemplars.length; i++) writeExemplar(w, HDP_EXEMPLARS, exemplars[i], asInt);
  writeAttributes(w, HDP_ATTRIBUTES, p.attributes);
  if (p.min !== undefined) w.uint32(HDP_MIN).double(p.min);
  if (p.max !== undefined) w.uint32(HDP_MAX).double(p.max);
  w.ldelim();
}

function writeExemplar(w: Writer, tag: number, e: Exemplar, asInt: boolean): void {
  w.uint32(tag).fork();
  w.uint32(EX_TIME);
  writeFixed64Time(w, e.time);
  writeValue(w, EX_AS_INT, EX_AS_DOUBLE, e.value, asInt);
  if (e.spanId) writeHexId(w, EX_SPAN_ID, e.spanId);
  if (e.traceId) writeHexId(w, EX_TRACE_ID, e.traceId);
  writeAttributes(w, EX_FILTERED_ATTRIBUTES, e.filteredAttributes);
  w.ldelim();
}

export interface ExportMetricsResponse {
  readonly partialSuccess?: { readonly rejectedDataPoints: number; readonly errorMessage: string };
}

/** Decodes an ExportMetricsServiceResponse (only partial_success exists). Throws on malformed bytes. */
export function decodeExportMetricsResponse(bytes: Uint8Array): ExportMetricsResponse {
  const ps = decodePartialSuccess(bytes);
  return ps === undefined ? {} : { partialSuccess: { rejectedDataPoints: ps.rejected, errorMessage: ps.errorMessage } };
}
