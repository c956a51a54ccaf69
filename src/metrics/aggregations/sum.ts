// Sum aggregation: Counter / UpDownCounter (synchronous, summed here) and their observable
// forms (the callback reports the cumulative value; delta is derived from the previous one).

import type { SpanContext } from '@opentelemetry/api';
import type { Attributes, HrTime } from '../../core/types.js';
import { hrNow } from '../../core/time.js';
import { SeriesBase, SeriesTable } from '../attributes-key.js';
import { ExemplarSlot, NO_EXEMPLARS, takeOne } from '../exemplar.js';
import { Temporality, type NumberPoint } from '../metric-data.js';

export class SumSeries extends SeriesBase {
  value = 0;
  /** Observable delta: the cumulative value reported at the previous collection. */
  previous = 0;
  exemplar: ExemplarSlot | undefined = undefined;
}

function newSeries(attributes: Attributes, hash: number): SumSeries {
  return new SumSeries(attributes, hash, hrNow());
}

export class SyncSumStorage {
  readonly table = new SeriesTable<SumSeries>(newSeries);
  readonly temporality: Temporality;
  #lastCollect: HrTime;

  constructor(temporality: Temporality, created: HrTime) {
    this.temporality = temporality;
    this.#lastCollect = created;
  }

  add(value: number, attributes: Attributes | undefined, sc: SpanContext | undefined | null): void {
    const series = this.table.get(attributes);
    series.value += value;
    series.touched = true;
    if (sc !== null) (series.exemplar ??= new ExemplarSlot()).offer(value, sc);
  }

  collect(now: HrTime): NumberPoint[] {
    const points: NumberPoint[] = [];
    const delta = this.temporality === Temporality.Delta;
    for (const series of this.table.series()) {
      if (delta) {
        if (!series.touched) continue;
        points.push({ attributes: series.attributes, startTime: this.#lastCollect, time: now, value: series.value, exemplars: takeOne(series.exemplar) });
      } else {
        points.push({ attributes: series.attributes, startTime: series.start, time: now, value: series.value, exemplars: takeOne(series.exemplar) });
      }
    }
    this.table.endCollection(delta);
    if (delta) this.#lastCollect = now;
    return points;
  }
}

/** Observable Counter / UpDownCounter: each observation is the series' current cumulative total. */
export class AsyncSumStorage {
  readonly table = new SeriesTable<SumSeries>(newSeries);
  readonly temporality: Temporality;
  readonly #monotonic: boolean;
  #lastCollect: HrTime;

  constructor(temporality: Temporality, monotonic: boolean, created: HrTime) {
    this.temporality = temporality;
    this.#monotonic = monotonic;
    this.#lastCollect = created;
  }

  /** The last observation of a set within one collection wins. */
  observe(value: number, attributes: Attributes | undefined): void {
    const series = this.table.get(attributes);
    series.value = value;
    series.touched = true;
  }

  collect(now: HrTime): NumberPoint[] {
    const points: NumberPoint[] = [];
    const delta = this.temporality === Temporality.Delta;
    // Series not observed in this collection are not reported, and forgotten.
    this.table.evictUntouched();
    for (const series of this.table.series()) {
      series.touched = false;
      if (!delta) {
        points.push({ attributes: series.attributes, startTime: series.start, time: now, value: series.value, exemplars: NO_EXEMPLARS });
        continue;
      }
      let change = series.value - series.previous;
      // A monotonic total that went down was reset: its whole value is this period's increase.
      if (this.#monotonic && change < 0) change = series.value;
      series.previous = series.value;
      points.push({ attributes: series.attributes, startTime: this.#lastCollect, time: now, value: change, exemplars: NO_EXEMPLARS });
    }
    this.#lastCollect = now;
    return points;
  }
}
