// Microbenchmark: db.query.text + db.query.summary for a 2 KB non-parameterized SQL query, the
// first (uncached) scan and the cached lookup, the latter both for the very same string object
// (a constant in the app) and for an equal string built anew each call (a template).
// Target (issue 19): under 5 µs cached. Run after `npx tsc -p tsconfig.json`:
//   node bench/micro/sql-query.mjs [trials=7] [ms-per-trial=1000]

import { createRequire } from 'node:module';
import { measureOps } from './measure.mjs';

const require = createRequire(import.meta.url);
const { sqlQuery, clearSqlQueryCache } = require('../../dist/instrumentations/db/sql-query.js');
const { scanSql } = require('../../dist/instrumentations/db/sql-sanitize.js');

const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);

// An ORM-style query with a join, a subquery, and strings, numbers, dates and an IN list.
function query(id) {
  const columns = Array.from({ length: 40 }, (_, i) => `o.column_name_${i}`).join(', ');
  return (
    `SELECT ${columns}, c.name AS customer_name, c.email\n` +
    `FROM   orders o\n       JOIN customers c ON c.id = o.customer_id\n` +
    `WHERE  o.status = 'shipped' AND o.created_at >= DATE '2024-01-01'\n` +
    `  AND  o.total > 100.50 AND o.region IN ('eu-west', 'eu-central', 'us-east', 'us-west')\n` +
    `  AND  o.customer_id IN (SELECT customer_id FROM vip_customers WHERE since < '2023-06-01' AND tier = 3)\n` +
    `  AND  o.note NOT LIKE '%fraud%' -- exclude flagged orders\n` +
    `ORDER BY o.created_at DESC\nLIMIT 50 OFFSET ${id}`
  ).padEnd(2048, ' ');
}

const text = query(0);
console.log(`node ${process.version}, ${trials} trials x ${trialMs} ms, query ${text.length} chars`);
console.log(`  -> ${JSON.stringify(sqlQuery(text, false).summary)}\n`);

await measureOps({
  name: 'uncached: one scan (sanitize + summary)',
  fn: (n) => {
    for (let i = 0; i < n; i++) scanSql(text, true);
  },
  trials,
  trialMs,
  n: 100,
});
await measureOps({
  name: 'uncached: one scan, parameterized (summary)',
  fn: (n) => {
    for (let i = 0; i < n; i++) scanSql(text, false);
  },
  trials,
  trialMs,
  n: 100,
});
clearSqlQueryCache();
await measureOps({
  name: 'cached: the same string',
  fn: (n) => {
    for (let i = 0; i < n; i++) sqlQuery(text, false);
  },
  trials,
  trialMs,
});
const pieces = [text.slice(0, 1000), text.slice(1000)];
await measureOps({
  name: 'cached: an equal string built per call',
  fn: (n) => {
    for (let i = 0; i < n; i++) sqlQuery((pieces[0] + pieces[1]).concat(''), false);
  },
  trials,
  trialMs,
});
// A 1.7 MB text: only its first SQL_SCAN_MAX characters are scanned, so it costs about what a text of
// that size does, not 200 times more (it is never cached: a new string object per call).
const huge = 'SELECT * FROM t WHERE a = 1 ' + "AND b = 'SECRET' ".repeat(100_000);
await measureOps({
  name: 'uncached: a 1.7 MB text (bounded scan)',
  fn: (n) => {
    for (let i = 0; i < n; i++) sqlQuery(huge.concat(''), false);
  },
  trials,
  trialMs,
  n: 10,
});
