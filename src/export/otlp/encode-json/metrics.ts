// OTLP/JSON for metrics (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"): lowerCamelCase
// keys, trace/span ids as hex strings, enums as integers, 64-bit integers (timestamps, count, bucketCounts,
// asInt) as decimal strings, non-finite doubles as "NaN" / "Infinity" / "-Infinity", defaults omitted.
// Grouping (and leaving out metrics without points) is the protobuf encoder's, so both protocols send the same.
//
// anyValue / attributes / resource / scope below repeat encode-json/trace.ts, whose helpers are module-private.

import type { HrTime } from '../../../core/types.js';
import type { Exemplar, HistogramPoint, MetricData, NumberPoint, ResourceMetrics } from '../../../metrics/metric-data.js';
import { groupResourceMetrics } from '../encode-protobuf/metrics.js';
import { attributesField, doubleJson, hrTimeToDecimalNanos, INT64_MAX_EXCLUSIVE, INT64_MIN, int64String, resourceJson, scopeJson } from './common.js';

const UINT64_MAX = '18446744073709551615';

/** fixed64 counts: negative/NaN -> 0, fractions truncated, above 2^64 - 1 clamped (as the protobuf encoder). */
function countJson(c: number): string {
  if (c >= 0 && c <= Number.MAX_SAFE_INTEGER) return '"' + Math.trunc(c) + '"';
  if (!(c > 0)) return '"0"';
  if (c >= 18446744073709551616) return '"' + UINT64_MAX + '"';
  return '"' + BigInt(Math.trunc(c)).toString() + '"';
}

/** `["1","2",…]`: the native join when every count is a safe non-negative integer (the normal case). */
function countsJson(counts: readonly number[]): string {
  let plain = true;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(c >= 0 && Number.isSafeInteger(c))) {
      plain = false;
      break;
    }
  }
  if (plain) return '["' + counts.join('","') + '"]';
  let out = '[';
  for (let i = 0; i < counts.length; i++) out += (i > 0 ? ',' : '') + countJson(counts[i]);
  return out + ']';
}

// Points of one histogram stream share their bounds array: remember the last one's JSON.
let lastBounds: readonly number[] | undefined;
let lastBoundsJson = '';

/** `[0,5,10,…]`: JSON.stringify when every bound is finite (it spells numbers as String() does). */
function boundsJson(bounds: readonly number[]): string {
  if (bounds === lastBounds) return lastBoundsJson;
  let finite = true;
  for (let i = 0; i < bounds.length; i++) {
    if (!Number.isFinite(bounds[i])) {
      finite = false;
      break;
    }
  }
  let out: string;
  if (finite) out = JSON.stringify(bounds);
  else {
    out = '[';
    for (let i = 0; i < bounds.length; i++) out += (i > 0 ? ',' : '') + doubleJson(bounds[i]);
    out += ']';
  }
  // Arrays can be mutated between calls; the cache is only reused within one encode (reset there).
  lastBounds = bounds;
  lastBoundsJson = out;
  return out;
}

// Points usually share their HrTime arrays: remember the last two conversions.
let lastTimeA: HrTime | undefined;
let lastTimeAJson = '';
let lastTimeB: HrTime | undefined;
let lastTimeBJson = '';

function nanosJson(time: HrTime): string {
  if (time === lastTimeA) return lastTimeAJson;
  if (time === lastTimeB) return lastTimeBJson;
  const out = hrTimeToDecimalNanos(time);
  lastTimeB = lastTimeA;
  lastTimeBJson = lastTimeAJson;
  lastTimeA = time;
  lastTimeAJson = out;
  return out;
}

function resetCaches(): void {
  lastBounds = undefined;
  lastBoundsJson = '';
  lastTimeA = lastTimeB = undefined;
  lastTimeAJson = lastTimeBJson = '';
}

/** `,"asInt":"…"` or `,"asDouble":…` (same choice as the protobuf encoder). */
function valueField(value: number, asInt: boolean): string {
  if (asInt && Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
    return ',"asInt":"' + int64String(value) + '"';
  }
  return ',"asDouble":' + doubleJson(value);
}

function exemplarsField(exemplars: readonly Exemplar[], asInt: boolean): string {
  if (exemplars.length === 0) return '';
  let out = ',"exemplars":[';
  for (let i = 0; i < exemplars.length; i++) {
    const e = exemplars[i];
    if (i > 0) out += ',';
    out += '{"timeUnixNano":"' + nanosJson(e.time) + '"' + valueField(e.value, asInt);
    // Ids come from span contexts that user code can build: quote rather than trust them to be hex.
    if (e.spanId) out += ',"spanId":' + JSON.stringify(e.spanId);
    if (e.traceId) out += ',"traceId":' + JSON.stringify(e.traceId);
    out += attributesField('filteredAttributes', e.filteredAttributes) + '}';
  }
  return out + ']';
}

function numberPointJson(p: NumberPoint, asInt: boolean): string {
  return (
    '{"startTimeUnixNano":"' +
    nanosJson(p.startTime) +
    '","timeUnixNano":"' +
    nanosJson(p.time) +
    '"' +
    valueField(p.value, asInt) +
    exemplarsField(p.exemplars, asInt) +
    attributesField('attributes', p.attributes) +
    '}'
  );
}

function histogramPointJson(p: HistogramPoint, asInt: boolean): string {
  let out =
    '{"startTimeUnixNano":"' +
    nanosJson(p.startTime) +
    '","timeUnixNano":"' +
    nanosJson(p.time) +
    '","count":' +
    countJson(p.count) +
    ',"sum":' +
    doubleJson(p.sum);
  const counts = p.bucketCounts;
  if (counts.length > 0) out += ',"bucketCounts":' + countsJson(counts);
  const bounds = p.bounds;
  if (bounds.length > 0) out += ',"explicitBounds":' + boundsJson(bounds);
  out += exemplarsField(p.exemplars, asInt) + attributesField('attributes', p.attributes);
  if (p.min !== undefined) out += ',"min":' + doubleJson(p.min);
  if (p.max !== undefined) out += ',"max":' + doubleJson(p.max);
  return out + '}';
}

function metricJson(metric: MetricData): string {
  let out = '{';
  if (metric.name) out += '"name":' + JSON.stringify(metric.name) + ',';
  if (metric.description) out += '"description":' + JSON.stringify(metric.description) + ',';
  if (metric.unit) out += '"unit":' + JSON.stringify(metric.unit) + ',';
  const asInt = metric.valueType === 'int';
  switch (metric.kind) {
    case 'sum': {
      out += '"sum":{"dataPoints":[';
      const points = metric.points;
      for (let i = 0; i < points.length; i++) out += (i > 0 ? ',' : '') + numberPointJson(points[i], asInt);
      out += ']';
      if (metric.temporality) out += ',"aggregationTemporality":' + metric.temporality;
      if (metric.isMonotonic) out += ',"isMonotonic":true';
      out += '}';
      break;
    }
    case 'gauge': {
      out += '"gauge":{"dataPoints":[';
      const points = metric.points;
      for (let i = 0; i < points.length; i++) out += (i > 0 ? ',' : '') + numberPointJson(points[i], asInt);
      out += ']}';
      break;
    }
    case 'histogram': {
      out += '"histogram":{"dataPoints":[';
      const points = metric.points;
      const parts = new Array<string>(points.length);
      for (let i = 0; i < points.length; i++) parts[i] = histogramPointJson(points[i], asInt);
      out += parts.join(',');
      out += ']';
      if (metric.temporality) out += ',"aggregationTemporality":' + metric.temporality;
      out += '}';
      break;
    }
  }
  return out + '}';
}

/** The ExportMetricsServiceRequest as an OTLP/JSON string. */
export function encodeMetricsRequestJsonString(batch: readonly ResourceMetrics[]): string {
  resetCaches();
  try {
    return requestJson(batch);
  } finally {
    resetCaches(); // never hold on to the caller's arrays
  }
}

function requestJson(batch: readonly ResourceMetrics[]): string {
  let out = '{"resourceMetrics":[';
  const groups = groupResourceMetrics(batch);
  for (let r = 0; r < groups.length; r++) {
    const { resource, scopes } = groups[r];
    if (r > 0) out += ',';
    out += '{"resource":' + resourceJson(resource) + ',"scopeMetrics":[';
    for (let s = 0; s < scopes.length; s++) {
      const { scope, metrics } = scopes[s];
      if (s > 0) out += ',';
      out += '{"scope":' + scopeJson(scope) + ',"metrics":[';
      const parts = new Array<string>(metrics.length);
      for (let m = 0; m < metrics.length; m++) parts[m] = metricJson(metrics[m]);
      out += parts.join(',');
      out += ']';
      if (scope.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(scope.schemaUrl);
      out += '}';
    }
    out += ']';
    if (resource.schemaUrl) out += ',"schemaUrl":' + JSON.stringify(resource.schemaUrl);
    out += '}';
  }
  return out + ']}';
}

/** The ExportMetricsServiceRequest as OTLP/JSON, UTF-8 encoded. */
export function encodeMetricsRequestJson(batch: readonly ResourceMetrics[]): Uint8Array {
  return Buffer.from(encodeMetricsRequestJsonString(batch), 'utf8');
}
