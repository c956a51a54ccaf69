// db.query.text and db.query.summary for one SQL text, the way every SQL instrumentation (pg,
// mysql2, postgres.js, SQLite) records them: one scan (sql-sanitize.ts, with sql-summary.ts fed
// its tokens), then the result cached per distinct text, since an app sends the same few texts
// over and over.
//
// Bound: db.query.text is at most SQL_TEXT_MAX = 4096 UTF-16 code units. Typical hand-written
// queries are far below it, while ORM-generated ones (Prisma, TypeORM, knex selecting every
// column by name) commonly pass 2 KB: 4 KB keeps those whole. Beyond that a text is repeated
// boilerplate that costs export bytes on every span, and bounding it bounds the scan
// (SQL_SCAN_MAX = 8192 characters looked at) and the cache's memory.
//
// Cache: per (parameterized, dialect), at most 1000 texts and 1M characters (keys plus values);
// when full, the oldest entry goes first. Texts longer than SQL_SCAN_MAX are not cached (their
// result only depends on the first SQL_SCAN_MAX characters, but keeping the whole text as a key
// would keep up to megabytes alive); they cost one bounded scan per call.

import { scanSql, cut, SQL_SCAN_MAX, type SqlDialect } from './sql-sanitize.js';

export { SQL_TEXT_MAX, SQL_SCAN_MAX, type SqlDialect } from './sql-sanitize.js';
export { SQL_SUMMARY_MAX } from './sql-summary.js';

export interface SqlQuery {
  /** db.query.text: parameterized text as given, else the text with every literal replaced by `?`; truncated to SQL_TEXT_MAX. */
  readonly text: string;
  /** db.query.summary (`SELECT orders`, `INSERT shipping_details SELECT orders`), at most 255 chars; undefined when nothing could be summarized. */
  readonly summary: string | undefined;
}

export const SQL_CACHE_ENTRIES = 1000;
export const SQL_CACHE_CHARS = 1_000_000;

class BoundedCache {
  private readonly map = new Map<string, SqlQuery>();
  private chars = 0;

  get(key: string): SqlQuery | undefined {
    return this.map.get(key);
  }

  set(key: string, value: SqlQuery): void {
    const size = key.length + value.text.length;
    while (this.map.size > 0 && (this.map.size >= SQL_CACHE_ENTRIES || this.chars + size > SQL_CACHE_CHARS)) {
      const oldest = this.map.keys().next().value as string;
      const old = this.map.get(oldest)!;
      this.chars -= oldest.length + old.text.length;
      this.map.delete(oldest);
    }
    this.map.set(key, value);
    this.chars += size;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }
}

// Index: dialect * 2 + (parameterized ? 1 : 0).
const caches: Array<BoundedCache | undefined> = [];
const DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql', 'sqlite'];

const EMPTY: SqlQuery = Object.freeze({ text: '', summary: undefined });

/**
 * Cached per distinct (text, parameterized) in a bounded cache; never throws, whatever the input.
 * `dialect` picks the quoting rules: 'postgresql' (the default; also right for SQLite and ANSI
 * text), 'mysql' (backslash escapes in strings, "..." is a string, # comments), 'sqlite' ('name'
 * where a table is expected is a table name in the summary; the text still hides it).
 */
export function sqlQuery(text: string, parameterized: boolean, dialect: SqlDialect = 'postgresql'): SqlQuery {
  if (typeof text !== 'string') return EMPTY;
  let index = DIALECTS.indexOf(dialect);
  if (index < 0) index = 0;
  index = index * 2 + (parameterized ? 1 : 0);
  const cache = caches[index];
  const cached = cache?.get(text);
  if (cached !== undefined) return cached;
  let result: SqlQuery;
  try {
    result = Object.freeze(scanSql(text, !parameterized, DIALECTS[index >> 1]));
  } catch {
    // Not expected; if it ever happens the text must not leak: parameterized text is kept as
    // the spec asks, anything else becomes one placeholder.
    result = Object.freeze({ text: parameterized ? cut(text) : '?', summary: undefined });
  }
  if (text.length <= SQL_SCAN_MAX) (caches[index] ??= new BoundedCache()).set(text, result);
  return result;
}

/** For tests: how many texts are cached for this (parameterized, dialect), and emptying them. */
export function sqlQueryCacheSize(parameterized: boolean, dialect: SqlDialect = 'postgresql'): number {
  return caches[DIALECTS.indexOf(dialect) * 2 + (parameterized ? 1 : 0)]?.size ?? 0;
}
export function clearSqlQueryCache(): void {
  for (const cache of caches) cache?.clear();
}
