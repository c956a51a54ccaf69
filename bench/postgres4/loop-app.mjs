// postgres.js 4 in the database loop: sql`select ${1}::int`, max: 4. postgres.js 4 is ES modules only,
// and our hook knows it by its package directory's name, so db-bench.mjs copies the devDependency
// postgres-4 to bench/postgres4/node_modules/postgres, where this import finds it.
import { createRequire } from 'node:module';
import postgres from 'postgres';

const { measureLoop } = createRequire(import.meta.url)('../lib/op-loop.cjs');

measureLoop(async () => {
  const sql = postgres(process.env.DB_URL, { max: 4, onnotice: () => undefined });
  return { op: (_i, cb) => sql`select ${1}::int`.then(() => cb(null), cb), close: () => sql.end() };
});
