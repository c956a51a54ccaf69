// db.query.text and db.query.summary for SQL: every literal hidden, real PostgreSQL and MySQL
// queries, the spec's own summary examples, hostile input, the bounds and the cache.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sqlQuery,
  clearSqlQueryCache,
  sqlQueryCacheSize,
  SQL_TEXT_MAX,
  SQL_SCAN_MAX,
  SQL_SUMMARY_MAX,
  SQL_CACHE_ENTRIES,
  type SqlDialect,
} from '../../../instrumentations/db/sql-query.js';

// Every secret in these queries contains "SECRET" or a number from 9000 up, so a leak is visible.
function assertNoLeak(text: string, secrets: readonly string[] = []): void {
  assert.doesNotMatch(text, /secret/i, `a literal leaked: ${text}`);
  assert.doesNotMatch(text, /9\d{3}/, `a number leaked: ${text}`);
  for (const s of secrets) assert.ok(!text.includes(s), `${s} leaked: ${text}`);
}

const SANITIZED: Array<[SqlDialect, string, string]> = [
  ['postgresql', "SELECT * FROM users WHERE email = 'secret@x.io'", 'SELECT * FROM users WHERE email = ?'],
  ['postgresql', "SELECT * FROM t WHERE a = 'it''s SECRET'", 'SELECT * FROM t WHERE a = ?'],
  ['postgresql', "SELECT * FROM t WHERE a = E'it\\'s SECRET' AND b = 1", 'SELECT * FROM t WHERE a = ? AND b = ?'],
  // PostgreSQL: a backslash in a plain string is just a character.
  ['postgresql', "SELECT * FROM t WHERE p = 'C:\\' AND q = 'SECRET'", 'SELECT * FROM t WHERE p = ? AND q = ?'],
  ['postgresql', 'SELECT $$SECRET it\'s$$, $fn$SECRET $$ 9001$fn$', 'SELECT ?, ?'],
  ['postgresql', 'SELECT 9001, 9001.5, .9001, 9e10, 9.1E-3, 1_9000', 'SELECT ?, ?, ?, ?, ?, ?'],
  ['postgresql', 'SELECT 0x9001, 0b1001, 0o17, X\'9001\', B\'1001\', N\'SECRET\', U&\'SECRET\'', 'SELECT ?, ?, ?, ?, ?, ?, ?'],
  ['postgresql', 'SELECT * FROM t WHERE a = -9001 AND b > +9002', 'SELECT * FROM t WHERE a = -? AND b > +?'],
  ['postgresql', 'SELECT * FROM t WHERE flag = TRUE OR flag = false OR flag IS NULL', 'SELECT * FROM t WHERE flag = ? OR flag = ? OR flag IS NULL'],
  [
    'postgresql',
    "SELECT * FROM t WHERE d = DATE '9001-01-01' AND ts < TIMESTAMP '9001-01-01 10:00' AND ts > now() - INTERVAL '9001 days'",
    'SELECT * FROM t WHERE d = DATE ? AND ts < TIMESTAMP ? AND ts > now() - INTERVAL ?',
  ],
  ['postgresql', "SELECT * FROM t WHERE id IN (9001, 9002, -9003, 'SECRET')", 'SELECT * FROM t WHERE id IN (?)'],
  ['postgresql', 'SELECT * FROM t WHERE id IN (?, ?, ?) AND b in (9001)', 'SELECT * FROM t WHERE id IN (?) AND b in (?)'],
  ['postgresql', 'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE v = 9001)', 'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE v = ?)'],
  ['postgresql', 'SELECT "Weird ""name""", t.col1, data->>\'SECRET\', x::int FROM "My Table" t', 'SELECT "Weird ""name""", t.col1, data->>?, x::int FROM "My Table" t'],
  ['postgresql', "SELECT data #>> '{SECRET}' FROM t", 'SELECT data #>> ? FROM t'],
  ['postgresql', 'SELECT a -- SECRET 9001\nFROM t /* SECRET /* nested 9001 */ still SECRET */ WHERE b = 9002', 'SELECT a FROM t WHERE b = ?'],
  ['postgresql', '/* leading SECRET */  SELECT 1', 'SELECT ?'],
  ['postgresql', 'SELECT\n\t a,\n\t b\nFROM   t  ', 'SELECT a, b FROM t'],
  ['postgresql', 'SELECT * FROM t WHERE a = $1 AND b = :name AND c = ? AND d = ?1 AND e = @v', 'SELECT * FROM t WHERE a = $1 AND b = :name AND c = ? AND d = ?1 AND e = @v'],
  ['mysql', "SELECT * FROM `orders` WHERE name = \"SECRET\" AND note = 'it\\'s SECRET' AND n = 9001", 'SELECT * FROM `orders` WHERE name = ? AND note = ? AND n = ?'],
  ['mysql', "SELECT * FROM t WHERE a = _utf8mb4'SECRET' AND b = x'9001' AND c = 0x9001 # SECRET 9001\nLIMIT 9001", 'SELECT * FROM t WHERE a = ? AND b = ? AND c = ? LIMIT ?'],
  ['mysql', "INSERT INTO t (a, b) VALUES ('SECRET', 9001), ('SECRET', 9002)", 'INSERT INTO t (a, b) VALUES (?, ?), (?, ?)'],
  ['mysql', 'SELECT * FROM t WHERE d > DATE_SUB(NOW(), INTERVAL 9001 DAY)', 'SELECT * FROM t WHERE d > DATE_SUB(NOW(), INTERVAL ? DAY)'],
  ['sqlite', "SELECT * FROM 'SECRET' WHERE a = 'SECRET'", 'SELECT * FROM ? WHERE a = ?'],
];

test('every kind of literal in non-parameterized text becomes ?, and the rest of the text stays as written', () => {
  for (const [dialect, input, expected] of SANITIZED) {
    const { text } = sqlQuery(input, false, dialect);
    assert.equal(text, expected, `${dialect}: ${input}`);
    assertNoLeak(text);
  }
});

test('parameterized text is kept as given, literals and all, but still bounded', () => {
  const text = "SELECT * FROM t WHERE a = $1 AND b = 'active'  -- note";
  assert.equal(sqlQuery(text, true).text, text);
  const long = 'SELECT ' + 'a, '.repeat(3000) + 'b FROM t WHERE x = $1';
  assert.equal(sqlQuery(long, true).text, long.slice(0, SQL_TEXT_MAX));
});

test('hostile text never throws, never leaks a literal, and never exceeds the bound', () => {
  const megabyte = 'x'.repeat(1 << 20);
  const hostile = [
    "SELECT * FROM t WHERE a = 'SECRET never closed AND b = 9001",
    'SELECT * FROM t WHERE a = "never closed SECRET 9001',
    'SELECT * FROM t WHERE a = `never closed SECRET 9001',
    'SELECT 1 /* never closed SECRET 9001',
    'SELECT 1 /* /* */ nested, still a comment SECRET 9001 */ FROM t',
    'SELECT $$ never closed SECRET 9001',
    'SELECT $tag$ SECRET 9001 $other$ 9002',
    "SELECT E'SECRET \\' 9001",
    "SELECT 'SECRET\\",
    "SELECT 1; DROP TABLE users; SELECT 'SECRET'; -- 9001",
    "SELECT '" + megabyte + "SECRET'",
    'SELECT ' + '('.repeat(100_000) + "'SECRET'" + ')'.repeat(100_000),
    "SELECT * FROM t WHERE a IN (" + '9001, '.repeat(200_000) + "'SECRET')",
    'SELECT * FROM t WHERE a = ' + '9'.repeat(1 << 20),
    '-- SECRET 9001',
    "''''''''''''''''''''''''''' SECRET",
    '\u0000\uffff\ud800 SELECT \'SECRET\'',
    "SELECT * FROM t WHERE x = 'SECRET' " + megabyte,
    '',
    ' ',
  ];
  for (const input of hostile) {
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) {
      const result = sqlQuery(input, false, dialect);
      assert.ok(result.text.length <= SQL_TEXT_MAX, `too long: ${result.text.length}`);
      assertNoLeak(result.text);
      if (result.summary !== undefined) assertNoLeak(result.summary);
    }
  }
  // Not a string at all (a driver called wrongly): no throw.
  assert.deepEqual({ ...sqlQuery(undefined as unknown as string, false) }, { text: '', summary: undefined });
  assert.deepEqual({ ...sqlQuery({} as unknown as string, true) }, { text: '', summary: undefined });
});

test('a literal cut by the scan bound is hidden, and huge text is cut to the text bound', () => {
  const prefix = 'SELECT * FROM t WHERE a = ';
  const input = prefix + ' '.repeat(SQL_SCAN_MAX - prefix.length - 3) + "'SECRET SECRET'";
  const { text } = sqlQuery(input, false);
  assert.equal(text, 'SELECT * FROM t WHERE a = ?');
  const huge = 'SELECT * FROM t WHERE a = 1 ' + "AND b = 'SECRET' ".repeat(100_000);
  // Its cost (a scan of SQL_SCAN_MAX characters, not 1.7 MB) is measured in bench/micro, not timed here.
  const result = sqlQuery(huge, false);
  assertNoLeak(result.text);
  assert.ok(result.text.length <= SQL_TEXT_MAX && result.text.length > SQL_TEXT_MAX - 20);
});

test('the text bound does not split a surrogate pair', () => {
  const input = 'SELECT ' + 'a'.repeat(SQL_TEXT_MAX - 8) + '😀😀 FROM t';
  const { text } = sqlQuery(input, true);
  assert.ok(text.length <= SQL_TEXT_MAX);
  const last = text.charCodeAt(text.length - 1);
  assert.ok(!(last >= 0xd800 && last <= 0xdbff), 'ends in half a surrogate pair');
});

// The spec's examples (docs/db/database-spans.md, "Generating a summary of the query").
const SPEC_SUMMARIES: Array<[SqlDialect, string, string]> = [
  ['postgresql', 'SELECT *\nFROM   wuser_table\nWHERE  username = ?', 'SELECT wuser_table'],
  [
    'postgresql',
    'INSERT INTO shipping_details\n            (order_id,\n            address)\nSELECT order_id,\n       address\nFROM   orders\nWHERE  order_id = ?',
    'INSERT shipping_details SELECT orders',
  ],
  ['postgresql', 'SELECT *\nFROM   songs,\n       artists\nWHERE  songs.artist_id == artists.id', 'SELECT songs artists'],
  [
    'postgresql',
    'SELECT order_date\nFROM   (SELECT *\n        FROM   orders o\n               JOIN customers c\n                 ON o.customer_id = c.customer_id)',
    'SELECT SELECT orders customers',
  ],
  ['sqlite', 'SELECT *\nFROM   "song list",\n       \'artists\'', 'SELECT "song list" \'artists\''],
  ['postgresql', 'call some_stored_procedure', 'call some_stored_procedure'],
];

const SUMMARIES: Array<[SqlDialect, string, string | undefined]> = [
  ['postgresql', 'select id from public.orders o where o.id = 1', 'select public.orders'],
  ['postgresql', 'SELECT * FROM "Sales"."Orders" AS so LEFT OUTER JOIN customers c USING (id) NATURAL JOIN x', 'SELECT "Sales"."Orders" customers x'],
  ['postgresql', 'SELECT 1', 'SELECT'],
  ['postgresql', 'SELECT now()', 'SELECT'],
  ['postgresql', 'SELECT EXTRACT(YEAR FROM d), a IS DISTINCT FROM b FROM t', 'SELECT t'],
  ['postgresql', "SELECT * FROM t WHERE id IN (SELECT oid FROM u WHERE v = 'x')", 'SELECT t SELECT u'],
  ['postgresql', 'SELECT a FROM x UNION ALL SELECT b FROM y', 'SELECT x SELECT y'],
  ['postgresql', 'WITH recent AS (SELECT * FROM orders) SELECT * FROM recent r JOIN customers c ON c.id = r.cid', 'SELECT orders SELECT recent customers'],
  ['postgresql', 'INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2 RETURNING id', 'INSERT t'],
  ['postgresql', 'UPDATE accounts SET balance = 0 WHERE id IN (SELECT id FROM closed)', 'UPDATE accounts SELECT closed'],
  ['postgresql', 'DELETE FROM sessions WHERE expires < now()', 'DELETE sessions'],
  ['postgresql', 'SELECT * FROM jobs WHERE state = 1 FOR UPDATE SKIP LOCKED', 'SELECT jobs'],
  ['postgresql', 'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = 1 WHEN NOT MATCHED THEN INSERT VALUES (2)', 'MERGE t s'],
  ['postgresql', 'CREATE TABLE IF NOT EXISTS users (id serial, name text DEFAULT \'x\')', 'CREATE TABLE users'],
  ['postgresql', 'CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email)', 'CREATE INDEX users_email'],
  ['postgresql', 'CREATE TABLE archive AS SELECT * FROM orders', 'CREATE TABLE archive SELECT orders'],
  ['postgresql', 'CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1 FROM secret_table $$ LANGUAGE sql', 'CREATE FUNCTION f'],
  ['postgresql', 'DROP TABLE IF EXISTS a, b CASCADE', 'DROP TABLE a b'],
  ['postgresql', 'ALTER TABLE orders ADD COLUMN note text', 'ALTER TABLE orders'],
  ['postgresql', 'TRUNCATE TABLE a, b', 'TRUNCATE a b'],
  ['postgresql', 'CALL process_orders(1, \'x\')', 'CALL process_orders'],
  ['postgresql', 'BEGIN; UPDATE a SET x = 1; COMMIT', 'BEGIN UPDATE a COMMIT'],
  ['postgresql', "SET search_path TO 'secret'", 'SET'],
  ['postgresql', 'EXPLAIN ANALYZE SELECT * FROM t', 'EXPLAIN SELECT t'],
  ['postgresql', 'GRANT SELECT, INSERT ON t TO app', 'GRANT'],
  ['postgresql', "COPY t FROM '/secret/file.csv'", 'COPY'],
  ['postgresql', 'VALUES (1), (2)', undefined],
  ['postgresql', '', undefined],
  ['postgresql', '-- only a comment', undefined],
  ['mysql', 'REPLACE INTO `kv` (k, v) VALUES (?, ?)', 'REPLACE `kv`'],
  ['mysql', 'INSERT IGNORE INTO t VALUES (1) ON DUPLICATE KEY UPDATE v = 2', 'INSERT t'],
  ['mysql', 'DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id', 'DELETE t1 t2'],
  ['mysql', 'select * from `db`.`orders` where name = "x"', 'select `db`.`orders`'],
  ['sqlite', 'INSERT OR REPLACE INTO kv VALUES (?, ?)', 'INSERT kv'],
  ['sqlite', "SELECT * FROM t WHERE a = 'secret'", 'SELECT t'],
];

test('the summary follows the spec examples: operations and targets in the order written, case kept', () => {
  for (const [dialect, input, expected] of SPEC_SUMMARIES) assert.equal(sqlQuery(input, false, dialect).summary, expected, input);
});

test('the summary covers joins, subqueries, CTEs, UNION, DML, DDL, procedures and other commands, and holds no literal', () => {
  for (const [dialect, input, expected] of SUMMARIES) {
    const { summary } = sqlQuery(input, false, dialect);
    assert.equal(summary, expected, input);
    if (summary !== undefined) assertNoLeak(summary, ['secret']);
    // The same summary whether or not the text is parameterized.
    assert.equal(sqlQuery(input, true, dialect).summary, expected, input);
  }
});

test('the summary is at most 255 characters, cut after a whole operation or target', () => {
  const tables = Array.from({ length: 60 }, (_, i) => `table_number_${i}`);
  const { summary } = sqlQuery(`SELECT * FROM ${tables.join(', ')}`, false);
  assert.ok(summary !== undefined && summary.length <= SQL_SUMMARY_MAX);
  const words = summary.split(' ');
  assert.equal(words[0], 'SELECT');
  assert.deepEqual(words.slice(1), tables.slice(0, words.length - 1));
  assert.ok(summary.length + 1 + tables[words.length - 1]!.length > SQL_SUMMARY_MAX);
});

test('the same text gives the very same object from the cache, per parameterized flag and dialect', () => {
  clearSqlQueryCache();
  const text = "SELECT * FROM t WHERE a = 'x'";
  const first = sqlQuery(text, false);
  assert.equal(sqlQuery(text, false), first);
  assert.equal(sqlQuery(text.slice(0) + '', false), first);
  const parameterized = sqlQuery(text, true);
  assert.notEqual(parameterized, first);
  assert.equal(parameterized.text, text);
  assert.equal(first.text, 'SELECT * FROM t WHERE a = ?');
  assert.notEqual(sqlQuery(text, false, 'mysql'), first);
  assert.ok(Object.isFrozen(first));
});

test('the cache stays bounded: oldest texts go, and texts beyond the scan bound are not kept', () => {
  clearSqlQueryCache();
  for (let i = 0; i < SQL_CACHE_ENTRIES + 50; i++) sqlQuery(`SELECT ${i} FROM t${i}`, false);
  assert.equal(sqlQueryCacheSize(false), SQL_CACHE_ENTRIES);
  clearSqlQueryCache();
  const long = 'SELECT ' + 'a'.repeat(SQL_SCAN_MAX) + ' FROM t';
  const a = sqlQuery(long, false);
  assert.equal(sqlQueryCacheSize(false), 0);
  assert.deepEqual({ ...sqlQuery(long, false) }, { ...a });
  // Large texts: the character budget evicts before the entry count does.
  for (let i = 0; i < 300; i++) sqlQuery(`SELECT ${i} ` + 'b'.repeat(SQL_SCAN_MAX - 20), false);
  assert.ok(sqlQueryCacheSize(false) < 300);
  clearSqlQueryCache();
});
