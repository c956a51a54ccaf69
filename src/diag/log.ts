// Our own diagnostics: stderr, prefixed, gated by OTEL_LOG_LEVEL, never carrying secrets.
// The one process.env read outside src/config: the level must hold before the configuration is
// loaded (src/config itself logs through here, and so do the launcher and the preload's first steps).
// A bad value is not reported here but by the configuration, once per launch (config-warnings.ts).

export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

const LEVELS: Record<LogLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5, all: 6 };
const PREFIX = 'otel-instrument: ';

/** A valid OTEL_LOG_LEVEL value (any case, blanks trimmed), else undefined. */
export function parseLogLevel(raw: string | undefined): LogLevel | undefined {
  const level = (raw ?? '').trim().toLowerCase();
  return Object.hasOwn(LEVELS, level) ? (level as LogLevel) : undefined;
}

let threshold = LEVELS[parseLogLevel(process.env.OTEL_LOG_LEVEL) ?? 'info'];

// Writes go straight to fd 2 so they never pass through a patched console or process.stderr.write.
import { writeSync } from 'node:fs';

// C0 controls, DEL, C1 controls (CSI and friends), and the Unicode characters that break or reorder
// what a terminal shows: line and paragraph separators, bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

function escaped(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with each control character written as its escape (`\n`, `\u001b`); `text` itself when it has
 * none. Every line we write goes through it, so none spans two or drives the terminal; collector text
 * also goes through collector-text.ts, which bounds it.
 */
export function escapeControlCharacters(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escaped) : text;
}

function emit(level: string, message: string): void {
  try {
    // One line each, whatever a message carries (a Node error quoting a certificate's names, say).
    writeSync(2, `${PREFIX}${level === 'info' ? '' : level + ': '}${escapeControlCharacters(message)}\n`);
  } catch {
    // stderr closed: nothing we can do, and the app must not notice.
  }
}

export const diag = {
  isEnabled(level: Exclude<LogLevel, 'none' | 'all'>): boolean {
    return threshold >= LEVELS[level];
  },
  error(message: string): void {
    if (threshold >= LEVELS.error) emit('error', message);
  },
  warn(message: string): void {
    if (threshold >= LEVELS.warn) emit('warn', message);
  },
  info(message: string): void {
    if (threshold >= LEVELS.info) emit('info', message);
  },
  debug(message: string): void {
    if (threshold >= LEVELS.debug) emit('debug', message);
  },
  verbose(message: string): void {
    if (threshold >= LEVELS.verbose) emit('verbose', message);
  },
};

const warnedKeys = new Set<string>();

/** Warn once per key for the life of the process (collector outages, dropped spans, bad config). */
export function warnOnce(key: string, message: string): void {
  if (warnedKeys.has(key)) return;
  warnedKeys.add(key);
  diag.warn(message);
}

/** Lets the next outage warn again once the collector has come back. */
export function resetWarnOnce(key: string): void {
  warnedKeys.delete(key);
}

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

