// Durations as a person reads them: three significant digits at most, in the unit that keeps them short.

import type { HrTime } from '../../../core/types.js';

export function durationNs(start: HrTime, end: HrTime): number {
  return Math.max(0, (end[0] - start[0]) * 1e9 + (end[1] - start[1]));
}

/** 45 µs, 3.1 ms, 245 ms, 1.24 s, 2 min 05 s. The thresholds sit where rounding would change the unit. */
export function formatDuration(ns: number): string {
  if (!(ns > 0)) return '0 µs';
  if (ns < 99_500) return `${Math.round(ns / 1e3)} µs`;
  if (ns < 99_950_000) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns < 999_500_000) return `${Math.round(ns / 1e6)} ms`;
  if (ns < 59_995_000_000) return `${(ns / 1e9).toFixed(2)} s`;
  const seconds = Math.round(ns / 1e9);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
