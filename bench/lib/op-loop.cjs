// The measured loop of the operation benchmarks (bench/lib/db-bench.mjs runs its apps plain or under a
// launcher): one operation, CONCURRENCY at a time, inside one active span (the global API: a no-op when
// plain). Prints one JSON line: operations per second over DURATION_MS after a warmup, CPU per operation,
// and every operation made (warmup included), against which the bench counts the spans that arrived.
const api = require('@opentelemetry/api');

const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

function run(client, ms) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + ms;
    let done = 0;
    let running = CONCURRENCY;
    const next = () => {
      client.op(done, (error) => {
        if (error) return reject(error);
        done++;
        if (performance.now() < deadline) next();
        else if (--running === 0) resolve(done);
      });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

/** `connect()` resolves with { op(i, callback), close() }: measured, printed, closed. */
function measureLoop(connect) {
  connect().then((client) =>
    api.trace.getTracer('bench').startActiveSpan('bench loop', async (span) => {
      const warm = await run(client, WARMUP_MS);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const done = await run(client, DURATION_MS);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      span.end();
      // CPU time per operation: what a shared, busy machine disturbs least.
      console.log(JSON.stringify({ ops: done / seconds, cpuUsPerOp: (used.user + used.system) / done, allOps: warm + done }));
      await client.close();
    }),
  );
}

module.exports = { measureLoop };
