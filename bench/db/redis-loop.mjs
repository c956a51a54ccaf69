// GET/SET loop on a real Redis inside one active span, for node-redis 5 or ioredis 5 (by hand):
//   node bench/db/redis-loop.mjs <redis|ioredis> <redis url>                       uninstrumented
//   bin/otel-instrument node bench/db/redis-loop.mjs ioredis redis://127.0.0.1:6379  otel-instrument
//   node --require ./bench/official/node_modules/@opentelemetry/auto-instrumentations-node/build/src/register.js \
//     bench/db/redis-loop.mjs ioredis redis://...                                 the official instrumentation
// Prints one JSON line: operations per second over ROUNDS timed rounds after a warm-up (each
// operation is one SET or one GET, awaited in turn: the latency-bound case the spans add to).

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [library = 'ioredis', url = 'redis://127.0.0.1:6379'] = process.argv.slice(2);
const OPS = Number(process.env.BENCH_OPS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const api = require('@opentelemetry/api');

async function client() {
  if (library === 'redis') {
    const c = require('redis').createClient({ url });
    await c.connect();
    return { set: (k, v) => c.set(k, v), get: (k) => c.get(k), close: () => c.quit() };
  }
  const Redis = require('ioredis');
  const r = new Redis(url);
  return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.quit() };
}

const c = await client();
const tracer = api.trace.getTracer('bench');
async function round() {
  const start = process.hrtime.bigint();
  await tracer.startActiveSpan('request', async (span) => {
    for (let i = 0; i < OPS / 2; i++) {
      await c.set('bench:key', 'value');
      await c.get('bench:key');
    }
    span.end();
  });
  return OPS / (Number(process.hrtime.bigint() - start) / 1e9);
}
await round();
const rates = [];
for (let i = 0; i < ROUNDS; i++) rates.push(await round());
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ library, opsPerSecond: Math.round(rates[rates.length >> 1]), rounds: ROUNDS, ops: OPS }));
await c.close();
