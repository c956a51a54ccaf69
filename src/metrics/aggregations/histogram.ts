// Explicit-bucket histogram. Bucket i counts v with bounds[i-1] < v <= bounds[i]; the last bucket
// is (bounds[n-1], +Inf). Exemplars: AlignedHistogramBucket reservoir, the last measurement per bucket.

import type { SpanContext } from '@opentelemetry/api';
import type { Attributes, HrTime } from '../../core/types.js';
import { hrNow } from '../../core/time.js';
import { SeriesBase, SeriesTable } from '../attributes-key.js';
import { ExemplarSlot, takeAll } from '../exemplar.js';
import { Temporality, type HistogramPoint } from '../metric-data.js';

/** Spec default boundaries for the explicit bucket histogram aggregation. */
export const DEFAULT_BOUNDARIES: readonly number[] = Object.freeze([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);

export class HistogramSeries extends SeriesBase {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  counts: number[];
  exemplars: (ExemplarSlot | undefined)[] | undefined = undefined;

  constructor(attributes: Attributes, hash: number, start: HrTime, buckets: number) {
    super(attributes, hash, start);
    this.counts = new Array<number>(buckets).fill(0);
  }
}

/** Index of the bucket for v: the first i with v <= bounds[i], else bounds.length. */
export function bucketIndex(bounds: readonly number[], v: number): number {
  const n = bounds.length;
  if (n <= 16) {
    for (let i = 0; i < n; i++) if (v <= bounds[i]!) return i;
    return n;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class HistogramStorage {
  readonly table: SeriesTable<HistogramSeries>;
  readonly temporality: Temporality;
  readonly bounds: readonly number[];
  #lastCollect: HrTime;

  constructor(temporality: Temporality, bounds: readonly number[], created: HrTime) {
    this.temporality = temporality;
    this.bounds = bounds;
    this.#lastCollect = created;
    const buckets = bounds.length + 1;
    // One factory per storage (not per call): it closes over the bucket count.
    this.table = new SeriesTable<HistogramSeries>((a, h) => new HistogramSeries(a, h, hrNow(), buckets));
  }

  record(value: number, attributes: Attributes | undefined, sc: SpanContext | undefined | null): void {
    const series = this.table.get(attributes);
    const i = bucketIndex(this.bounds, value);
    series.counts[i]!++;
    series.count++;
    series.sum += value;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
    series.touched = true;
    if (sc !== null) {
      const slots = (series.exemplars ??= new Array<ExemplarSlot | undefined>(this.bounds.length + 1));
      (slots[i] ??= new ExemplarSlot()).offer(value, sc);
    }
  }

  collect(now: HrTime): HistogramPoint[] {
    const points: HistogramPoint[] = [];
    const delta = this.temporality === Temporality.Delta;
    for (const series of this.table.series()) {
      if (delta && !series.touched) continue;
      const empty = series.count === 0;
      points.push({
        attributes: series.attributes,
        startTime: delta ? this.#lastCollect : series.start,
        time: now,
        count: series.count,
        sum: series.sum,
        min: empty ? undefined : series.min,
        max: empty ? undefined : series.max,
        bounds: this.bounds,
        // A delta series is discarded after this, so its array can be handed over.
        bucketCounts: delta ? series.counts : series.counts.slice(),
        exemplars: takeAll(series.exemplars),
      });
    }
    this.table.endCollection(delta);
    if (delta) this.#lastCollect = now;
    return points;
  }
}
