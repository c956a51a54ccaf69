// Level names -> SeverityNumber for libraries with named levels (winston's npm, cli and syslog
// sets). npm and cli follow opentelemetry-js-contrib's winston transport. syslog follows the logs
// data model's appendix B ("SeverityNumber example mappings"), which differs from contrib for
// crit/alert/emerg (contrib: FATAL, FATAL2, FATAL3); where they disagree we keep the spec's table.

import { SEVERITY as S } from './severity.js';

export type LevelTable = Readonly<Record<string, number>>;

/** Without a prototype, so a level named `constructor` or `toString` finds nothing. */
function table(entries: Record<string, number>): LevelTable {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, number>, entries));
}

export const NPM_LEVELS: LevelTable = table({
  error: S.ERROR,
  warn: S.WARN,
  info: S.INFO,
  http: S.DEBUG3,
  verbose: S.DEBUG2,
  debug: S.DEBUG,
  silly: S.TRACE,
});

export const CLI_LEVELS: LevelTable = table({
  error: S.ERROR,
  warn: S.WARN,
  help: S.INFO3,
  data: S.INFO2,
  info: S.INFO,
  debug: S.DEBUG,
  prompt: S.TRACE4,
  verbose: S.TRACE3,
  input: S.TRACE2,
  silly: S.TRACE,
});

export const SYSLOG_LEVELS: LevelTable = table({
  emerg: S.FATAL,
  alert: S.ERROR3,
  crit: S.ERROR2,
  error: S.ERROR,
  warning: S.WARN,
  notice: S.INFO2,
  info: S.INFO,
  debug: S.DEBUG,
});

/** For app-defined level names: the usual spellings, else UNSPECIFIED (we do not guess from order). */
const COMMON_NAMES: LevelTable = table({
  trace: S.TRACE,
  silly: S.TRACE,
  debug: S.DEBUG,
  verbose: S.DEBUG2,
  info: S.INFO,
  notice: S.INFO2,
  warn: S.WARN,
  warning: S.WARN,
  error: S.ERROR,
  crit: S.ERROR2,
  critical: S.ERROR2,
  alert: S.ERROR3,
  fatal: S.FATAL,
  emerg: S.FATAL,
  emergency: S.FATAL,
});

const tableCache = new WeakMap<object, LevelTable>();

/**
 * Which of the known sets a library's level map is. The same name means different things in
 * different sets (cli's `verbose` is below `debug`, npm's is above), so the set decides.
 */
export function levelTableFor(levels: Readonly<Record<string, unknown>> | undefined): LevelTable {
  if (levels === undefined || levels === null || typeof levels !== 'object') return NPM_LEVELS;
  let table = tableCache.get(levels);
  if (table === undefined) {
    if ('emerg' in levels && 'notice' in levels) table = SYSLOG_LEVELS;
    else if ('help' in levels && 'prompt' in levels) table = CLI_LEVELS;
    else table = NPM_LEVELS;
    tableCache.set(levels, table);
  }
  return table;
}

export function severityOfNamedLevel(table: LevelTable, name: unknown): number {
  if (typeof name !== 'string') return S.UNSPECIFIED;
  return table[name] ?? COMMON_NAMES[name.toLowerCase()] ?? S.UNSPECIFIED;
}
