// The measured loop (run by pg-loop.mjs, plain or under a launcher): `pool.query('SELECT $1::int', [1])`
// on a pool of 4, CONCURRENCY at a time, inside one active span (the global API: a no-op when plain).
// Prints one JSON line: queries per second over DURATION_MS after a warmup.
const { Pool } = require('pg');
const api = require('@opentelemetry/api');

const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const pool = new Pool({ connectionString: process.env.POSTGRES_URL, max: 4 });

function run(ms) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + ms;
    let done = 0;
    let running = CONCURRENCY;
    const next = () => {
      pool.query('SELECT $1::int', [1], (error) => {
        if (error) return reject(error);
        done++;
        if (performance.now() < deadline) next();
        else if (--running === 0) resolve(done);
      });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

api.trace.getTracer('bench').startActiveSpan('bench loop', async (span) => {
  await run(WARMUP_MS);
  const started = performance.now();
  const done = await run(DURATION_MS);
  const seconds = (performance.now() - started) / 1000;
  span.end();
  console.log(JSON.stringify({ qps: done / seconds }));
  pool.end();
});
