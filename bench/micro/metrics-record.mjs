// Microbenchmark: the metrics hot path (instrument.add/record -> series lookup -> aggregate).
// Reports ns/op (median of trials) and heap bytes allocated per op (about 0 means the path allocates nothing).
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/metrics-record.mjs [trials=7] [ops-per-trial=2000000]

import { createRequire } from 'node:module';
import { execArgv, argv, execPath } from 'node:process';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Allocation is measured as heap growth with a young generation big enough that no GC runs.
if (!execArgv.includes('--expose-gc')) {
  const r = spawnSync(execPath, ['--expose-gc', '--max-semi-space-size=512', fileURLToPath(import.meta.url), ...argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const { SdkMeterProvider } = require('../../dist/src/metrics/meter-provider.js');

const trials = Number(process.argv[2] ?? 7);
const ops = Number(process.argv[3] ?? 2_000_000);

const ALLOC_OPS = 100_000;

// The official SDK (a dev dependency through otlp-transformer), when present, for comparison.
let official;
try {
  official = require('@opentelemetry/sdk-metrics');
} catch {
  official = undefined;
}

function meterFor(exemplarFilter, impl) {
  if (impl === 'official') {
    // A reader must be attached or the official SDK records nothing.
    return new official.MeterProvider({ readers: [new official.PeriodicExportingMetricReader({ exporter: new official.InMemoryMetricExporter(official.AggregationTemporality.CUMULATIVE), exportIntervalMillis: 1e9 })] }).getMeter('bench');
  }
  return new SdkMeterProvider({ resource: { attributes: {} }, temporalityPreference: 'cumulative', exemplarFilter }).getMeter('bench');
}

const ROUTES = ['/api/users/:id', '/api/orders', '/health', '/api/cart'];
const REUSED = ROUTES.map((route) => ({ 'http.request.method': 'GET', 'http.route': route, 'http.response.status_code': 200, 'url.scheme': 'http' }));

function noop() {}

const cases = {
  'baseline: fresh literal passed to an empty function': () => (i) => noop(1, { 'http.request.method': 'GET', 'http.route': ROUTES[i & 3], 'http.response.status_code': 200, 'url.scheme': 'http' }),
  'counter.add, no attributes': (m) => {
    const c = m.createCounter('c');
    return (i) => c.add(1);
  },
  'counter.add, reused attribute object (4 sets x 4 attrs)': (m) => {
    const c = m.createCounter('c');
    return (i) => c.add(1, REUSED[i & 3]);
  },
  'counter.add, fresh equal literal each call (4 attrs)': (m) => {
    const c = m.createCounter('c');
    return (i) => c.add(1, { 'http.request.method': 'GET', 'http.route': ROUTES[i & 3], 'http.response.status_code': 200, 'url.scheme': 'http' });
  },
  'histogram.record, fresh literal as http server duration (5 attrs)': (m) => {
    const h = m.createHistogram('h');
    return (i) => h.record((i % 1000) * 0.0015, { 'http.request.method': 'GET', 'url.scheme': 'http', 'http.response.status_code': 200, 'http.route': ROUTES[i & 3], 'network.protocol.version': '1.1' });
  },
  'histogram.record, reused attribute object (4 attrs)': (m) => {
    const h = m.createHistogram('h');
    return (i) => h.record((i % 1000) * 1.5, REUSED[i & 3]);
  },
};

async function run(name, filter, impl = 'ours') {
  const results = [];
  let bytes = 0;
  for (let t = 0; t < trials; t++) {
    const fn = cases[name](meterFor(filter, impl));
    for (let i = 0; i < 10_000; i++) fn(i); // warm up, create the series
    await new Promise((r) => setImmediate(r));
    global.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ALLOC_OPS; i++) fn(i);
    bytes += (process.memoryUsage().heapUsed - before) / ALLOC_OPS;
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - start) / ops;
    results.push(ns);
  }
  results.sort((a, b) => a - b);
  const median = results[Math.floor(results.length / 2)];
  console.log(`${impl.padEnd(8)} ${name.padEnd(58)} filter=${filter.padEnd(11)} ${median.toFixed(1).padStart(6)} ns/op  (min ${results[0].toFixed(1)}, max ${results.at(-1).toFixed(1)})  heap growth ${(bytes / trials).toFixed(1)} B/op`);
}

console.log(`node ${process.version}, ${trials} trials x ${ops} ops`);
for (const filter of ['always_off', 'trace_based']) for (const name of Object.keys(cases)) await run(name, filter);
// The official SDK's default exemplar filter is off (OTEL_METRICS_EXEMPLAR_FILTER unset in this process).
if (official !== undefined) for (const name of Object.keys(cases).slice(1)) await run(name, 'default', 'official');
