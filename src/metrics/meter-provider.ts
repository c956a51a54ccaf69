// The MeterProvider registered as the @opentelemetry/api global. One meter per scope; one reader
// (the delta state of each series belongs to the single collector; a Prometheus scrape reads
// cumulative storage through collectForPull).

import type { Meter, MeterOptions, MeterProvider } from '@opentelemetry/api';
import type { Resource } from '../core/types.js';
import { hrNow } from '../core/time.js';
import { collectKeepingExemplars, type ExemplarFilter } from './exemplar.js';
import type { MeterState, TemporalityPreference } from './instruments.js';
import { SdkMeter, type CallbackResults } from './meter.js';
import type { ResourceMetrics, ScopeMetrics } from './metric-data.js';
import type { ThreadMetrics } from './thread-metrics.js';

export interface MeterProviderOptions {
  readonly resource: Resource;
  /** Config.metricsTemporalityPreference */
  readonly temporalityPreference: TemporalityPreference;
  /** Config.metricsExemplarFilter */
  readonly exemplarFilter: ExemplarFilter;
}

function noop(): void {
  // Settles the in-flight marker whatever the collection's outcome.
}

function timeout(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class SdkMeterProvider implements MeterProvider {
  readonly resource: Resource;
  readonly #state: MeterState;
  readonly #meters = new Map<string, SdkMeter>();
  readonly #background = new Set<SdkMeter>();
  #collectedOnce = false;
  #inFlight: Promise<void> | undefined;
  /** Worker threads' metrics (src/threads), merged into each collection; only in a main thread that takes them. */
  #threads: ThreadMetrics | undefined;

  constructor(options: MeterProviderOptions) {
    this.resource = options.resource;
    this.#state = { pending: false, stopped: false, exemplarFilter: options.exemplarFilter, temporalityPreference: options.temporalityPreference };
  }

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    const schemaUrl = options?.schemaUrl;
    const key = `${name}@${version ?? ''}@${schemaUrl ?? ''}`;
    let meter = this.#meters.get(key);
    if (meter === undefined) {
      meter = new SdkMeter({ name: name || 'unknown', version, schemaUrl }, this.#state);
      this.#meters.set(key, meter);
    }
    return meter;
  }

  /**
   * A meter for our own background measurements (runtime metrics, GC): collected and exported like
   * any other, but its recordings never count as pending, so they alone never cause a flush or a
   * synchronous send at exit (a flush's own garbage collection would otherwise re-trigger it).
   */
  getBackgroundMeter(name: string, version?: string): Meter {
    const key = `background:${name}@${version ?? ''}`;
    let meter = this.#meters.get(key);
    if (meter === undefined) {
      const shared = this.#state;
      const background: MeterState = {
        get pending() {
          return false;
        },
        set pending(_recorded: boolean) {
          // Background recordings are never a reason to export.
        },
        get stopped() {
          return shared.stopped;
        },
        set stopped(value: boolean) {
          shared.stopped = value;
        },
        exemplarFilter: shared.exemplarFilter,
        temporalityPreference: shared.temporalityPreference,
      };
      meter = new SdkMeter({ name, version }, background);
      this.#meters.set(key, meter);
      this.#background.add(meter);
    }
    return meter;
  }

  /** Merges worker threads' metrics into this provider's collections from now on. */
  takeThreadMetrics(): ThreadMetrics {
    this.#threads ??= new (require('./thread-metrics.js') as typeof import('./thread-metrics.js')).ThreadMetrics();
    return this.#threads;
  }

  /** Synchronous measurements since the last collection, or callbacks never collected yet. */
  hasPending(): boolean {
    if (this.#state.stopped) return false;
    if (this.#state.pending || this.#threads?.hasPending() === true) return true;
    if (this.#collectedOnce) return false;
    // Only the app's observables: ours (runtime metrics) alone are no reason to export on the way out.
    for (const meter of this.#meters.values()) if (!this.#background.has(meter) && meter.hasCallbacks()) return true;
    return false;
  }

  /** Synchronous measurements since the last collection (observable callbacks not counted). */
  hasRecorded(): boolean {
    return !this.#state.stopped && (this.#state.pending || this.#threads?.hasPending() === true);
  }

  /** Runs callbacks (awaiting async ones up to callbackTimeoutMs; 0 = no limit) and collects. */
  collect(callbackTimeoutMs = 0): Promise<ResourceMetrics> {
    return this.#serialized(() => this.#collect(callbackTimeoutMs, false));
  }

  /**
   * A collection for a pull reader (a Prometheus scrape) beside the push reader: storage is
   * cumulative then, so it reads the same totals, and it leaves the push reader's state alone
   * (pending measurements, the first-collection flag, exemplars waiting to be exported).
   */
  collectForPull(callbackTimeoutMs = 0): Promise<ResourceMetrics> {
    return this.#serialized(() => this.#collect(callbackTimeoutMs, true));
  }

  // One collection at a time: two interleaved ones would each evict the observable series the
  // other's callbacks had just reported (see SeriesTable.evictUntouched).
  // With none in flight it starts now, synchronously, as before there were two readers.
  #serialized(run: () => Promise<ResourceMetrics>): Promise<ResourceMetrics> {
    const previous = this.#inFlight;
    const result = previous === undefined ? run() : previous.then(run, run);
    const settled = result.then(noop, noop);
    this.#inFlight = settled;
    void settled.then(() => {
      if (this.#inFlight === settled) this.#inFlight = undefined;
    });
    return result;
  }

  async #collect(callbackTimeoutMs: number, pull: boolean): Promise<ResourceMetrics> {
    const pending = this.#startCollection(pull);
    if (pending.length > 0) {
      const all = Promise.all(pending);
      await (callbackTimeoutMs > 0 ? Promise.race([all, timeout(callbackTimeoutMs)]) : all);
    }
    return pull ? collectKeepingExemplars(() => this.#finishCollection(true)) : this.#finishCollection(false);
  }

  /** For process exit: async callbacks contribute only what they observed synchronously. */
  collectSync(): ResourceMetrics {
    this.#startCollection();
    return this.#finishCollection(false);
  }

  /** Stops recording; later collections still return what was recorded before. */
  stop(): void {
    this.#state.stopped = true;
  }

  #startCollection(pull = false): CallbackResults {
    if (!pull) {
      this.#state.pending = false;
      this.#collectedOnce = true;
    }
    const pending: CallbackResults = [];
    for (const meter of this.#meters.values()) meter.runCallbacks(pending);
    return pending;
  }

  /** `pull`: a scrape, which takes nothing from the worker threads' deltas (the push reader does). */
  #finishCollection(pull: boolean): ResourceMetrics {
    const now = hrNow();
    const scopeMetrics: ScopeMetrics[] = [];
    for (const meter of this.#meters.values()) {
      const scope = meter.collect(now);
      if (scope !== undefined) scopeMetrics.push(scope);
    }
    const rm: ResourceMetrics = { resource: this.resource, scopeMetrics };
    return this.#threads === undefined ? rm : this.#threads.mergeInto(rm, !pull);
  }
}

export function hasPoints(rm: ResourceMetrics): boolean {
  for (const scope of rm.scopeMetrics) for (const metric of scope.metrics) if (metric.points.length > 0) return true;
  return false;
}
