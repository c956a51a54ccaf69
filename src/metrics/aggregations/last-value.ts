// Last-value aggregation for Gauge (synchronous) and ObservableGauge. Gauges carry no temporality.

import type { Attributes, HrTime } from '../../core/types.js';
import { hrNow } from '../../core/time.js';
import { SeriesBase, SeriesTable } from '../attributes-key.js';
import { NO_EXEMPLARS } from '../exemplar.js';
import type { NumberPoint } from '../metric-data.js';

export class GaugeSeries extends SeriesBase {
  value = 0;
}

function newSeries(attributes: Attributes, hash: number): GaugeSeries {
  return new GaugeSeries(attributes, hash, hrNow());
}

export class LastValueStorage {
  readonly table = new SeriesTable<GaugeSeries>(newSeries);
  /** Observable gauges report (and keep) only the series observed in this collection. */
  readonly #observedOnly: boolean;

  constructor(observedOnly: boolean) {
    this.#observedOnly = observedOnly;
  }

  record(value: number, attributes: Attributes | undefined): void {
    const series = this.table.get(attributes);
    series.value = value;
    series.touched = true;
  }

  collect(now: HrTime): NumberPoint[] {
    if (this.#observedOnly) this.table.evictUntouched();
    const points: NumberPoint[] = [];
    for (const series of this.table.series()) {
      series.touched = false;
      points.push({ attributes: series.attributes, startTime: series.start, time: now, value: series.value, exemplars: NO_EXEMPLARS });
    }
    return points;
  }
}
