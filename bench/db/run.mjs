// The database benchmark alone (npm run bench runs it too, for every driver whose server is installed):
//   node bench/db/run.mjs <pg|mysql2|redis|ioredis|mongodb|postgres|sqlite> [rounds=5] [ms-per-round=3000]     after npm run build
// OTEL_TEST_POSTGRES_URL / OTEL_TEST_MYSQL_URL / OTEL_TEST_REDIS_URL name a running server; else a
// throwaway one is started from Debian's postgresql, mariadb-server or redis-server.

import { DRIVERS, dbBench } from '../lib/db-bench.mjs';

const [driverName = 'pg', rounds, ms] = process.argv.slice(2);
if (DRIVERS[driverName] === undefined) {
  console.error(`usage: node bench/db/run.mjs <${Object.keys(DRIVERS).join('|')}> [rounds] [ms-per-round]`);
  process.exit(2);
}
console.log(await dbBench(driverName, Number(rounds ?? 5), Number(ms ?? 3000)));
