// Epoch time with sub-microsecond precision as [seconds, nanoseconds].
// performance.now() is small, so adding it to a split origin keeps every digit.

import type { TimeInput } from '@opentelemetry/api';
import type { HrTime } from './types.js';

const ORIGIN_MS = performance.timeOrigin;
const ORIGIN_SEC = Math.floor(ORIGIN_MS / 1000);
const ORIGIN_NS = Math.round((ORIGIN_MS - ORIGIN_SEC * 1000) * 1e6);

function fromOriginOffset(offsetMs: number): HrTime {
  const wholeSec = Math.floor(offsetMs / 1000);
  let sec = ORIGIN_SEC + wholeSec;
  let ns = ORIGIN_NS + Math.round((offsetMs - wholeSec * 1000) * 1e6);
  if (ns >= 1e9) {
    sec += 1;
    ns -= 1e9;
  }
  return [sec, ns];
}

export function hrNow(): HrTime {
  return fromOriginOffset(performance.now());
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
