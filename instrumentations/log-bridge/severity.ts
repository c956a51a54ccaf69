// OpenTelemetry SeverityNumber values (logs data model) and the mapping for libraries with
// numeric levels in steps of ten: pino and bunyan (trace 10, debug 20, info 30, warn 40,
// error 50, fatal 60). Kept as plain numbers so a bridge does not load @opentelemetry/api-logs.

export const SEVERITY = {
  UNSPECIFIED: 0,
  TRACE: 1,
  TRACE2: 2,
  TRACE3: 3,
  TRACE4: 4,
  DEBUG: 5,
  DEBUG2: 6,
  DEBUG3: 7,
  DEBUG4: 8,
  INFO: 9,
  INFO2: 10,
  INFO3: 11,
  INFO4: 12,
  WARN: 13,
  WARN2: 14,
  WARN3: 15,
  WARN4: 16,
  ERROR: 17,
  ERROR2: 18,
  ERROR3: 19,
  ERROR4: 20,
  FATAL: 21,
  FATAL2: 22,
  FATAL3: 23,
  FATAL4: 24,
} as const;

const STANDARD_NUMERIC: Readonly<Record<number, number>> = {
  10: SEVERITY.TRACE,
  20: SEVERITY.DEBUG,
  30: SEVERITY.INFO,
  40: SEVERITY.WARN,
  50: SEVERITY.ERROR,
  60: SEVERITY.FATAL,
};

/** The numbered severities (TRACE2..FATAL4) that custom levels spread over; the plain ones stay exact matches. */
const EXTRA = [2, 3, 4, 6, 7, 8, 10, 11, 12, 14, 15, 16, 18, 19, 20, 22, 23, 24];

/**
 * pino / bunyan level -> SeverityNumber. The six standard levels map to TRACE..FATAL. Any other
 * value (pino custom levels, bunyan numeric levels) is placed proportionally on 10..70 over the
 * numbered severities, clamped at both ends: the scheme of opentelemetry-js-contrib's pino and
 * bunyan instrumentations, so both report the same severity for the same level.
 */
export function severityOfNumericLevel(level: number): number {
  const exact = STANDARD_NUMERIC[level];
  if (exact !== undefined) return exact;
  if (typeof level !== 'number' || Number.isNaN(level)) return SEVERITY.UNSPECIFIED;
  const index = Math.floor(((level - 10) / 60) * EXTRA.length);
  return EXTRA[Math.min(EXTRA.length - 1, Math.max(0, index))]!;
}

const NUMERIC_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** The standard name of a pino / bunyan numeric level, or the number as text for a custom one. */
export function nameOfNumericLevel(level: number): string {
  return NUMERIC_NAMES[level] ?? String(level);
}
