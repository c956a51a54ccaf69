// The @opentelemetry/api instrument objects. Recording is: checks, one table lookup, a few field
// writes; no allocation for a seen attribute set and no closure per call.

import type {
  Attributes as ApiAttributes,
  Context,
  Counter,
  Gauge,
  Histogram,
  Observable,
  ObservableCallback,
  ObservableResult,
  UpDownCounter,
} from '@opentelemetry/api';
import { diag } from '../diag/log.js';
import type { HrTime } from '../core/types.js';
import { exemplarSpan, type ExemplarFilter } from './exemplar.js';
import { AsyncSumStorage, SyncSumStorage } from './aggregations/sum.js';
import { HistogramStorage } from './aggregations/histogram.js';
import { LastValueStorage } from './aggregations/last-value.js';
import { Temporality, type MetricData } from './metric-data.js';

export type InstrumentKind =
  | 'counter'
  | 'upDownCounter'
  | 'histogram'
  | 'gauge'
  | 'observableCounter'
  | 'observableUpDownCounter'
  | 'observableGauge';

export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

export interface InstrumentDescriptor {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly description: string;
  readonly unit: string;
  readonly valueType: 'int' | 'double';
}

/** Provider-wide switches read on every measurement. */
export interface MeterState {
  /** A synchronous measurement was recorded since the last collection began. */
  pending: boolean;
  /** Set by shutdown: measurements are ignored from then on. */
  stopped: boolean;
  readonly exemplarFilter: ExemplarFilter;
  readonly temporalityPreference: TemporalityPreference;
}

/** Spec temporality rules per OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. */
export function temporalityFor(kind: InstrumentKind, preference: TemporalityPreference): Temporality {
  if (preference === 'delta' && (kind === 'counter' || kind === 'observableCounter' || kind === 'histogram')) return Temporality.Delta;
  if (preference === 'lowmemory' && (kind === 'counter' || kind === 'histogram')) return Temporality.Delta;
  return Temporality.Cumulative;
}

export interface CollectableInstrument {
  readonly descriptor: InstrumentDescriptor;
  collect(now: HrTime): MetricData | undefined;
}

function rejectOnce(instrument: { rejected: boolean; readonly descriptor: InstrumentDescriptor }, value: number): void {
  if (instrument.rejected) return;
  instrument.rejected = true;
  diag.debug(`metrics: ${instrument.descriptor.kind} "${instrument.descriptor.name}" ignored the invalid value ${value} (further ones are ignored silently)`);
}

function exemplarFor(state: MeterState, context: Context | undefined) {
  return state.exemplarFilter === 'always_off' ? null : exemplarSpan(state.exemplarFilter, context);
}

/** Counter (monotonic) and UpDownCounter. */
export class SdkSum implements Counter, UpDownCounter, CollectableInstrument {
  readonly descriptor: InstrumentDescriptor;
  rejected = false;
  readonly #state: MeterState;
  readonly #storage: SyncSumStorage;
  readonly #monotonic: boolean;
  readonly #int: boolean;

  constructor(descriptor: InstrumentDescriptor, state: MeterState, created: HrTime) {
    this.descriptor = descriptor;
    this.#state = state;
    this.#monotonic = descriptor.kind === 'counter';
    this.#int = descriptor.valueType === 'int';
    this.#storage = new SyncSumStorage(temporalityFor(descriptor.kind, state.temporalityPreference), created);
  }

  add(value: number, attributes?: ApiAttributes, context?: Context): void {
    const state = this.#state;
    if (state.stopped) return;
    // NaN fails both comparisons; counters also refuse negatives.
    if (!(value > -Infinity && value < Infinity) || (this.#monotonic && value < 0)) return rejectOnce(this, value);
    if (this.#int) value = Math.trunc(value);
    state.pending = true;
    this.#storage.add(value, attributes, exemplarFor(state, context));
  }

  collect(now: HrTime): MetricData | undefined {
    const points = this.#storage.collect(now);
    if (points.length === 0) return undefined;
    const d = this.descriptor;
    return { kind: 'sum', name: d.name, description: d.description, unit: d.unit, valueType: d.valueType, temporality: this.#storage.temporality, isMonotonic: this.#monotonic, points };
  }
}

export class SdkHistogram implements Histogram, CollectableInstrument {
  readonly descriptor: InstrumentDescriptor;
  rejected = false;
  readonly #state: MeterState;
  readonly #storage: HistogramStorage;
  readonly #int: boolean;

  constructor(descriptor: InstrumentDescriptor, state: MeterState, created: HrTime, bounds: readonly number[]) {
    this.descriptor = descriptor;
    this.#state = state;
    this.#int = descriptor.valueType === 'int';
    this.#storage = new HistogramStorage(temporalityFor('histogram', state.temporalityPreference), bounds, created);
  }

  record(value: number, attributes?: ApiAttributes, context?: Context): void {
    const state = this.#state;
    if (state.stopped) return;
    // Negative, NaN and infinite values are not recorded.
    if (!(value >= 0 && value < Infinity)) return rejectOnce(this, value);
    if (this.#int) value = Math.trunc(value);
    state.pending = true;
    this.#storage.record(value, attributes, exemplarFor(state, context));
  }

  collect(now: HrTime): MetricData | undefined {
    const points = this.#storage.collect(now);
    if (points.length === 0) return undefined;
    const d = this.descriptor;
    return { kind: 'histogram', name: d.name, description: d.description, unit: d.unit, valueType: d.valueType, temporality: this.#storage.temporality, points };
  }
}

export class SdkGauge implements Gauge, CollectableInstrument {
  readonly descriptor: InstrumentDescriptor;
  rejected = false;
  readonly #state: MeterState;
  readonly #storage = new LastValueStorage(false);
  readonly #int: boolean;

  constructor(descriptor: InstrumentDescriptor, state: MeterState) {
    this.descriptor = descriptor;
    this.#state = state;
    this.#int = descriptor.valueType === 'int';
  }

  record(value: number, attributes?: ApiAttributes, _context?: Context): void {
    const state = this.#state;
    if (state.stopped) return;
    if (!(value > -Infinity && value < Infinity)) return rejectOnce(this, value);
    if (this.#int) value = Math.trunc(value);
    state.pending = true;
    this.#storage.record(value, attributes);
  }

  collect(now: HrTime): MetricData | undefined {
    const points = this.#storage.collect(now);
    if (points.length === 0) return undefined;
    const d = this.descriptor;
    return { kind: 'gauge', name: d.name, description: d.description, unit: d.unit, valueType: d.valueType, points };
  }
}

/** ObservableCounter, ObservableUpDownCounter and ObservableGauge. */
export class SdkObservable implements Observable, ObservableResult, CollectableInstrument {
  readonly descriptor: InstrumentDescriptor;
  rejected = false;
  readonly callbacks: ObservableCallback[] = [];
  readonly #sum: AsyncSumStorage | undefined;
  readonly #gauge: LastValueStorage | undefined;
  readonly #int: boolean;
  readonly #monotonic: boolean;

  constructor(descriptor: InstrumentDescriptor, state: MeterState, created: HrTime) {
    this.descriptor = descriptor;
    this.#int = descriptor.valueType === 'int';
    this.#monotonic = descriptor.kind === 'observableCounter';
    if (descriptor.kind === 'observableGauge') this.#gauge = new LastValueStorage(true);
    else this.#sum = new AsyncSumStorage(temporalityFor(descriptor.kind, state.temporalityPreference), this.#monotonic, created);
  }

  addCallback(callback: ObservableCallback): void {
    if (typeof callback === 'function' && !this.callbacks.includes(callback)) this.callbacks.push(callback);
  }

  removeCallback(callback: ObservableCallback): void {
    const i = this.callbacks.indexOf(callback);
    if (i !== -1) this.callbacks.splice(i, 1);
  }

  /** The instrument is its own ObservableResult: callbacks get it, so a collection allocates no result objects. */
  observe(value: number, attributes?: ApiAttributes): void {
    if (typeof value !== 'number' || !(value > -Infinity && value < Infinity) || (this.#monotonic && value < 0)) return rejectOnce(this, value);
    if (this.#int) value = Math.trunc(value);
    if (this.#gauge !== undefined) this.#gauge.record(value, attributes);
    else this.#sum!.observe(value, attributes);
  }

  collect(now: HrTime): MetricData | undefined {
    const d = this.descriptor;
    if (this.#gauge !== undefined) {
      const points = this.#gauge.collect(now);
      if (points.length === 0) return undefined;
      return { kind: 'gauge', name: d.name, description: d.description, unit: d.unit, valueType: d.valueType, points };
    }
    const sum = this.#sum!;
    const points = sum.collect(now);
    if (points.length === 0) return undefined;
    return { kind: 'sum', name: d.name, description: d.description, unit: d.unit, valueType: d.valueType, temporality: sum.temporality, isMonotonic: this.#monotonic, points };
  }
}

// No-op instruments handed out for invalid names.
const noopRecord = (): void => undefined;
export const NOOP_SYNC = Object.freeze({ add: noopRecord, record: noopRecord });
export const NOOP_OBSERVABLE = Object.freeze({ addCallback: noopRecord, removeCallback: noopRecord });
