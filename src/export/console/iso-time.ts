// HrTime as the ISO-8601 string with microseconds that the console exporters print.

import type { HrTime } from '../../core/types.js';

export function isoTime([sec, ns]: HrTime): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}.${String(Math.floor(ns / 1000)).padStart(6, '0')}Z`;
}
