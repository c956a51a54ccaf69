// A Meter: one instrumentation scope's instruments and batch callbacks.

import type {
  BatchObservableCallback,
  BatchObservableResult,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricOptions,
  Observable,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  UpDownCounter,
  Attributes as ApiAttributes,
} from '@opentelemetry/api';
import { warnOnce } from '../diag/log.js';
import type { HrTime, InstrumentationScope } from '../core/types.js';
import { hrNow } from '../core/time.js';
import { DEFAULT_BOUNDARIES } from './aggregations/histogram.js';
import {
  NOOP_OBSERVABLE,
  NOOP_SYNC,
  SdkGauge,
  SdkHistogram,
  SdkObservable,
  SdkSum,
  type CollectableInstrument,
  type InstrumentDescriptor,
  type InstrumentKind,
  type MeterState,
} from './instruments.js';
import type { MetricData, ScopeMetrics } from './metric-data.js';

const NAME_RE = /^[A-Za-z][A-Za-z0-9_./-]{0,254}$/;

/** One batch callback and the observables it may report; also its (reused) BatchObservableResult. */
class BatchRegistration implements BatchObservableResult {
  readonly callback: BatchObservableCallback;
  readonly observables: ReadonlySet<SdkObservable>;

  constructor(callback: BatchObservableCallback, observables: ReadonlySet<SdkObservable>) {
    this.callback = callback;
    this.observables = observables;
  }

  observe(observable: Observable, value: number, attributes?: ApiAttributes): void {
    // Only observables named at registration may be reported (spec); others are ignored.
    if (observable instanceof SdkObservable && this.observables.has(observable)) observable.observe(value, attributes);
  }
}

function validBoundaries(bounds: unknown): bounds is number[] {
  if (!Array.isArray(bounds)) return false;
  for (let i = 0; i < bounds.length; i++) {
    const b: unknown = bounds[i];
    if (typeof b !== 'number' || Number.isNaN(b) || (i > 0 && !(b > (bounds[i - 1] as number)))) return false;
  }
  return true;
}

/** What one collection pass hands back: possibly-async callback results to await before collect(). */
export type CallbackResults = Promise<unknown>[];

export class SdkMeter implements Meter {
  readonly scope: InstrumentationScope;
  readonly #state: MeterState;
  /** Keyed by lower-cased name + kind. */
  readonly #instruments = new Map<string, CollectableInstrument>();
  readonly #observables: SdkObservable[] = [];
  readonly #batches: BatchRegistration[] = [];

  constructor(scope: InstrumentationScope, state: MeterState) {
    this.scope = scope;
    this.#state = state;
  }

  createCounter(name: string, options?: MetricOptions): Counter {
    return (this.#register(name, 'counter', options) as Counter | undefined) ?? NOOP_SYNC;
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return (this.#register(name, 'upDownCounter', options) as UpDownCounter | undefined) ?? NOOP_SYNC;
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return (this.#register(name, 'histogram', options) as Histogram | undefined) ?? NOOP_SYNC;
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return (this.#register(name, 'gauge', options) as Gauge | undefined) ?? NOOP_SYNC;
  }

  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return (this.#register(name, 'observableCounter', options) as SdkObservable | undefined) ?? NOOP_OBSERVABLE;
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return (this.#register(name, 'observableUpDownCounter', options) as SdkObservable | undefined) ?? NOOP_OBSERVABLE;
  }

  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return (this.#register(name, 'observableGauge', options) as SdkObservable | undefined) ?? NOOP_OBSERVABLE;
  }

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    if (typeof callback !== 'function') return;
    if (this.#batches.some((b) => b.callback === callback)) return;
    const own = new Set<SdkObservable>();
    for (const o of observables) if (o instanceof SdkObservable) own.add(o);
    this.#batches.push(new BatchRegistration(callback, own));
  }

  removeBatchObservableCallback(callback: BatchObservableCallback, _observables: Observable[]): void {
    const i = this.#batches.findIndex((b) => b.callback === callback);
    if (i !== -1) this.#batches.splice(i, 1);
  }

  hasCallbacks(): boolean {
    if (this.#batches.length > 0) return true;
    for (const o of this.#observables) if (o.callbacks.length > 0) return true;
    return false;
  }

  /** Runs every callback; a throwing or rejecting one warns once and is skipped. */
  runCallbacks(pending: CallbackResults): void {
    for (const observable of this.#observables) {
      for (const callback of observable.callbacks) {
        try {
          const r = callback(observable) as unknown;
          if (r instanceof Promise) pending.push(r.catch((err: unknown) => callbackFailed(observable.descriptor.name, err)));
        } catch (err) {
          callbackFailed(observable.descriptor.name, err);
        }
      }
    }
    for (const registration of this.#batches) {
      try {
        const r = registration.callback(registration) as unknown;
        if (r instanceof Promise) pending.push(r.catch((err: unknown) => callbackFailed('batch callback', err)));
      } catch (err) {
        callbackFailed('batch callback', err);
      }
    }
  }

  collect(now: HrTime): ScopeMetrics | undefined {
    let metrics: MetricData[] | undefined;
    for (const instrument of this.#instruments.values()) {
      const metric = instrument.collect(now);
      if (metric !== undefined) (metrics ??= []).push(metric);
    }
    return metrics === undefined ? undefined : { scope: this.scope, metrics };
  }

  #register(name: string, kind: InstrumentKind, options: MetricOptions | undefined): CollectableInstrument | undefined {
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      warnOnce(`metrics.invalid-name.${String(name)}`, `metrics: invalid instrument name ${JSON.stringify(name)} (must match ${NAME_RE.source}); it records nothing`);
      return undefined;
    }
    const descriptor: InstrumentDescriptor = {
      name,
      kind,
      description: typeof options?.description === 'string' ? options.description : '',
      unit: typeof options?.unit === 'string' ? options.unit : '',
      valueType: options?.valueType === 0 ? 'int' : 'double',
    };
    const lower = name.toLowerCase();
    const key = `${lower}\u0000${kind}`;
    const existing = this.#instruments.get(key);
    if (existing !== undefined) {
      const e = existing.descriptor;
      if (e.unit !== descriptor.unit || e.description !== descriptor.description || e.valueType !== descriptor.valueType) {
        warnOnce(`metrics.duplicate.${this.scope.name}.${key}`, `metrics: instrument "${name}" registered again with a different unit/description/value type; keeping the first`);
      }
      return existing;
    }
    for (const other of this.#instruments.values()) {
      if (other.descriptor.name.toLowerCase() === lower) {
        warnOnce(`metrics.conflict.${this.scope.name}.${key}`, `metrics: instrument "${name}" is registered as both ${other.descriptor.kind} and ${kind}; both are exported`);
        break;
      }
    }
    const instrument = this.#create(descriptor, options);
    this.#instruments.set(key, instrument);
    return instrument;
  }

  #create(descriptor: InstrumentDescriptor, options: MetricOptions | undefined): CollectableInstrument {
    const created = hrNow();
    switch (descriptor.kind) {
      case 'counter':
      case 'upDownCounter':
        return new SdkSum(descriptor, this.#state, created);
      case 'gauge':
        return new SdkGauge(descriptor, this.#state);
      case 'histogram': {
        const advised = options?.advice?.explicitBucketBoundaries;
        let bounds = DEFAULT_BOUNDARIES;
        if (advised !== undefined) {
          if (validBoundaries(advised)) bounds = Object.freeze(advised.slice());
          else warnOnce(`metrics.bad-advice.${descriptor.name}`, `metrics: histogram "${descriptor.name}" has invalid explicitBucketBoundaries advice (need increasing numbers); using the defaults`);
        }
        return new SdkHistogram(descriptor, this.#state, created, bounds);
      }
      default: {
        const observable = new SdkObservable(descriptor, this.#state, created);
        this.#observables.push(observable);
        return observable;
      }
    }
  }
}

function callbackFailed(name: string, err: unknown): void {
  warnOnce(`metrics.callback.${name}`, `metrics: an observable callback for "${name}" failed and was skipped: ${err instanceof Error ? err.message : String(err)}`);
}
