// console methods -> log severity (OpenTelemetry logs data model SeverityNumber ranges).

export interface ConsoleSeverity {
  readonly number: number;
  readonly text: string;
}

const TRACE = { number: 1, text: 'TRACE' };
const DEBUG = { number: 5, text: 'DEBUG' };
const INFO = { number: 9, text: 'INFO' };
const WARN = { number: 13, text: 'WARN' };
const ERROR = { number: 17, text: 'ERROR' };

/** The methods we capture. Others (table, assert, count, time*) print through log/warn and are captured there. */
export const CONSOLE_SEVERITY: Readonly<Record<'log' | 'info' | 'debug' | 'warn' | 'error' | 'trace', ConsoleSeverity>> = {
  log: INFO,
  info: INFO,
  debug: DEBUG,
  warn: WARN,
  error: ERROR,
  trace: TRACE,
};
