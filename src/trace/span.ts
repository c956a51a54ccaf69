// The recording span. It is both the @opentelemetry/api Span handed to callers and the
// ReadableSpan handed to exporters: no copy is made when it ends.

import type {
  Attributes as ApiAttributes,
  AttributeValue as ApiAttributeValue,
  Exception,
  Link,
  SpanContext,
  SpanStatus as ApiSpanStatus,
  Span,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import type { SpanLimits } from '../config/types.js';
import { diag } from '../diag/log.js';
import { addAttributes, countIfAllKept, isValidValue, truncateValue } from '../core/attributes.js';
import { sharedSet } from '../core/shared-attributes.js';
import { exceptionAttributes } from '../core/exception-attributes.js';
import type { Attributes, HrTime, InstrumentationScope, Resource } from '../core/types.js';
import type { ReadableSpan, SpanEvent, SpanLink, SpanStatus } from './span-data.js';
import { clockReading, compareHr, hrFromClock, isTimeInput, toHrTime } from '../core/time.js';
import { VALID_BY_CONSTRUCTION } from '../otel-api/valid-span-context.js';

export interface SpanEndListener {
  onEnd(span: SdkSpan): void;
}

const UNSET_STATUS: SpanStatus = Object.freeze({ code: 0 as const });
const NONE: readonly never[] = Object.freeze([]);
const NOT_ENDED: HrTime = Object.freeze([0, 0]) as unknown as HrTime;
/** The attributes of a span that has none yet: its first attribute gets it an object of its own. */
const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

export class SdkSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  /**
   * Start and end as performance.now() readings (from the clock, or given as such), NaN when given as
   * another time (or not ended yet): a number costs less than an array per span, and the encoders write
   * it as it is. startTime and endTime make their arrays when first asked.
   */
  readonly startClockMs: number;
  endClockMs = NaN;
  /**
   * Replaced, not filled, by the first setAttributes of a valid set (see there); a shared set
   * (core/shared-attributes.ts) is held as it is until the span's first attribute of its own.
   */
  attributes: Attributes = NO_ATTRIBUTES;
  droppedAttributesCount = 0;
  // Most spans have no events or links: they share one empty array until their first.
  events: readonly SpanEvent[] = NONE;
  droppedEventsCount = 0;
  links: readonly SpanLink[] = NONE;
  droppedLinksCount = 0;
  status: SpanStatus = UNSET_STATUS;
  readonly scope: InstrumentationScope;
  readonly resource: Resource;

  #attributeCount = 0;
  /** False while `attributes` is NO_ATTRIBUTES or a shared set, which are frozen: a write copies first. */
  #ownsAttributes = false;
  #ended = false;
  readonly #limits: SpanLimits;
  readonly #listener: SpanEndListener;
  readonly #apiTraceState: TraceState | undefined;
  /** Made on first use and reused: spanContext() is asked for on every child span and inject. */
  #spanContext: SpanContext | undefined;
  #startTime: HrTime | undefined;
  #endTime: HrTime | undefined;

  constructor(
    name: string,
    kind: number,
    traceId: string,
    spanId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
    parent: SpanContext | undefined,
    startTime: TimeInput | undefined,
    scope: InstrumentationScope,
    resource: Resource,
    limits: SpanLimits,
    listener: SpanEndListener,
  ) {
    this.name = name;
    this.kind = kind;
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.#apiTraceState = traceState;
    this.traceState = traceState?.serialize() || undefined;
    this.parentSpanId = parent?.spanId;
    this.parentIsRemote = parent?.isRemote === true;
    const startMs = startTime === undefined ? performance.now() : clockReading(startTime);
    this.startClockMs = startMs ?? NaN;
    if (startMs === undefined) this.#startTime = toHrTime(startTime);
    this.scope = scope;
    this.resource = resource;
    this.#limits = limits;
    this.#listener = listener;
  }

  get startTime(): HrTime {
    return (this.#startTime ??= hrFromClock(this.startClockMs));
  }

  get endTime(): HrTime {
    if (this.#endTime !== undefined) return this.#endTime;
    return Number.isNaN(this.endClockMs) ? NOT_ENDED : (this.#endTime = hrFromClock(this.endClockMs));
  }

  /** Our ids are valid by construction: validSpanContext() skips the API's regex checks for them. */
  get [VALID_BY_CONSTRUCTION](): true {
    return true;
  }

  spanContext(): SpanContext {
    return (this.#spanContext ??= { traceId: this.traceId, spanId: this.spanId, traceFlags: this.traceFlags, traceState: this.#apiTraceState });
  }

  setAttribute(key: string, value: ApiAttributeValue): this {
    if (this.#ended || key === '' || !isValidValue(value)) return this;
    if (!(key in this.attributes)) {
      if (this.#attributeCount >= this.#limits.attributeCountLimit) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#attributeCount++;
    }
    const lengthLimit = this.#limits.attributeValueLengthLimit;
    if (!this.#ownsAttributes) {
      this.attributes = Object.assign({}, this.attributes) as Attributes;
      this.#ownsAttributes = true;
    }
    this.attributes[key] = lengthLimit === Infinity ? value : truncateValue(value, lengthLimit);
    return this;
  }

  setAttributes(attributes: ApiAttributes): this {
    // The set a span starts with (an instrumentation's, all valid) is copied whole, by Object.assign
    // into an empty object: faster than a checked store per key, and unlike a spread (faster still to
    // copy) the copy stays cheap to add keys to later (an added key after a spread cost ~1 us).
    if (this.#attributeCount === 0 && !this.#ended && this.#limits.attributeValueLengthLimit === Infinity) {
      const shared = sharedSet(attributes);
      if (shared !== undefined && shared.count <= this.#limits.attributeCountLimit) {
        this.attributes = attributes as Attributes;
        this.#attributeCount = shared.count;
        return this;
      }
      const count = countIfAllKept(attributes, this.#limits.attributeCountLimit);
      if (count > 0) {
        this.attributes = Object.assign({}, attributes) as Attributes;
        this.#attributeCount = count;
        this.#ownsAttributes = true;
        return this;
      }
    }
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.setAttribute(key, attributes[key]!);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: ApiAttributes | TimeInput, time?: TimeInput): this {
    if (this.#ended) return this;
    if (this.events.length >= this.#limits.eventCountLimit) {
      this.droppedEventsCount++;
      return this;
    }
    let attributes: ApiAttributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attributes = attributesOrTime;
    const eventAttributes: Attributes = {};
    const dropped = addAttributes(
      eventAttributes,
      attributes,
      this.#limits.attributePerEventCountLimit,
      this.#limits.attributeValueLengthLimit,
      0,
    );
    const events = this.events === NONE ? [] : (this.events as SpanEvent[]);
    this.events = events;
    events.push({ name, time: toHrTime(time), attributes: eventAttributes, droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.#ended) return this;
    if (this.links.length >= this.#limits.linkCountLimit) {
      this.droppedLinksCount++;
      return this;
    }
    const attributes: Attributes = {};
    const dropped = addAttributes(
      attributes,
      link.attributes,
      this.#limits.attributePerLinkCountLimit,
      this.#limits.attributeValueLengthLimit,
      0,
    );
    const context = link.context;
    const links = this.links === NONE ? [] : (this.links as SpanLink[]);
    this.links = links;
    links.push({
      traceId: context.traceId,
      spanId: context.spanId,
      traceFlags: context.traceFlags,
      traceState: context.traceState?.serialize() || undefined,
      attributes,
      droppedAttributesCount: dropped,
    });
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: ApiSpanStatus): this {
    if (this.#ended) return this;
    // OK is final; UNSET never overrides; a description only belongs to ERROR.
    if (this.status.code === 1 || status.code === 0) return this;
    this.status =
      status.code === 2 && typeof status.message === 'string' && status.message !== ''
        ? { code: 2, message: status.message }
        : { code: status.code as 1 | 2 };
    return this;
  }

  updateName(name: string): this {
    if (!this.#ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.#ended) {
      diag.debug(`span "${this.name}" ${this.spanId} ended twice; the second end is ignored`);
      return;
    }
    this.#ended = true;
    const endMs = endTime === undefined ? performance.now() : clockReading(endTime);
    const startMs = this.startClockMs;
    // Readings convert to HrTime in the same order (core/time.ts), so comparing them is comparing those.
    if (endMs !== undefined && !Number.isNaN(startMs)) this.endClockMs = endMs < startMs ? startMs : endMs;
    else {
      const end = endMs === undefined ? toHrTime(endTime) : hrFromClock(endMs);
      const start = this.startTime;
      this.#endTime = compareHr(end, start) < 0 ? start : end;
    }
    this.#listener.onEnd(this);
  }

  isRecording(): boolean {
    return !this.#ended;
  }

  get ended(): boolean {
    return this.#ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    this.addEvent('exception', exceptionAttributes(exception), time);
  }
}
