// Epoch time with sub-microsecond precision as [seconds, nanoseconds].
// performance.now() is small, so adding it to a split origin keeps every digit.

import type { TimeInput } from '@opentelemetry/api';
import type { HrTime } from './types.js';

const ORIGIN_MS = performance.timeOrigin;
const ORIGIN_SEC = Math.floor(ORIGIN_MS / 1000);
const ORIGIN_NS = Math.round((ORIGIN_MS - ORIGIN_SEC * 1000) * 1e6);

/** The one conversion of a performance.now() reading: clockSec and clockNs below are its two halves. */
function fromOriginOffset(offsetMs: number): HrTime {
  return [clockSec(offsetMs), clockNs(offsetMs)];
}

export function hrNow(): HrTime {
  return fromOriginOffset(performance.now());
}

/**
 * A performance.now() reading as hrNow() would have made it: spans keep the reading (a number) and make
 * the array only when asked; encoders write clockSec/clockNs of it instead, with no array at all.
 */
export function hrFromClock(ms: number): HrTime {
  return fromOriginOffset(ms);
}

// A reading splits at whole seconds after the origin; the origin's own nanoseconds may carry one more.

/** hrFromClock(ms)[0], without the array. */
export function clockSec(ms: number): number {
  const wholeSec = Math.floor(ms / 1000);
  const ns = ORIGIN_NS + Math.round((ms - wholeSec * 1000) * 1e6);
  return ns >= 1e9 ? ORIGIN_SEC + wholeSec + 1 : ORIGIN_SEC + wholeSec;
}

/** hrFromClock(ms)[1], without the array. */
export function clockNs(ms: number): number {
  const wholeSec = Math.floor(ms / 1000);
  const ns = ORIGIN_NS + Math.round((ms - wholeSec * 1000) * 1e6);
  return ns >= 1e9 ? ns - 1e9 : ns;
}

/** A TimeInput that is a performance.now() reading (what toHrTime reads as one), or undefined. */
export function clockReading(input: TimeInput | undefined): number | undefined {
  return typeof input === 'number' && input < ORIGIN_MS ? input : undefined;
}

export function epochMsToHr(ms: number): HrTime {
  const sec = Math.floor(ms / 1000);
  return [sec, Math.round((ms - sec * 1000) * 1e6)];
}

function isHrTime(value: unknown): value is HrTime {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
}

export function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || isHrTime(value);
}

/** As @opentelemetry/api callers expect: numbers below the time origin are performance.now() readings. */
export function toHrTime(input: TimeInput | undefined): HrTime {
  if (input === undefined) return hrNow();
  if (typeof input === 'number') return input < ORIGIN_MS ? fromOriginOffset(input) : epochMsToHr(input);
  if (input instanceof Date) return epochMsToHr(input.getTime());
  if (isHrTime(input)) return [input[0], input[1]];
  return hrNow();
}

/** a - b in nanoseconds (a number: durations are far below 2^53 ns). */
export function hrDiffNs(a: HrTime, b: HrTime): number {
  return (a[0] - b[0]) * 1e9 + (a[1] - b[1]);
}

export function compareHr(a: HrTime, b: HrTime): number {
  return a[0] === b[0] ? a[1] - b[1] : a[0] - b[0];
}
