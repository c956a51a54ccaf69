// Microbenchmark of the whole in-process span pipeline, per span: start a CLIENT span with the
// attributes a database instrumentation gives it (instrumentations/db/db-call.ts), record
// db.client.operation.duration, end it; the batch queue, the OTLP encode and the export to a do-nothing
// sink in another process. Ours is started by the real start path (src/bootstrap/start.js, as the
// preload does) over gRPC or http/protobuf; the official SDK (bench/official: sdk-trace-base 2.x,
// BatchSpanProcessor, exporter-trace-otlp-grpc/-proto, sdk-metrics) is set up by hand the same way.
//
// Each configuration is one app process, started side by side with the others (and the sink). Each
// makes WARMUP spans, then the apps take turns: one slice of SPANS spans each per round, 8 spans per turn
// of the event loop (as 8 operations in flight would), the order reversed every other round, so the
// machine's load falls on all alike. A slice's CPU time is its process's (process.cpuUsage: user +
// system, every thread, GC included) since the end of its previous slice, so the exports a slice left
// behind count too; so do the garbage collections (PerformanceObserver 'gc'). The sink counts what
// arrived, and the run says so when a queue dropped spans.
//
//   node bench/micro/span-pipeline.mjs [--rounds 10] [--spans 51200] [--rate 30000] [--configs ours-grpc,official-grpc]
//                                      [--base /path/to/another/dist]   (adds base-grpc, base-http: A/B, paired by round)
//                                      [--node-flags='--cpu-prof --cpu-prof-dir=/tmp/prof']   (the apps')
// Run after `npx tsc -p tsconfig.json`. Our code is read from dist/ (or --base's dist for base-*).

import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

/** Spans made before the measured ones: JIT warm, buffers and sessions in place. */
const WARMUP = 20_480;
/**
 * Both SDKs' span queue bound (OTEL_BSP_MAX_QUEUE_SIZE; 2048 by default): the sink shares a busy machine,
 * and an export it answers 100 ms late would otherwise cost spans (the run fails when one is missing).
 */
const MAX_QUEUE_SIZE = 65_536;
/** Operations in flight at once: spans made per turn of the event loop. */
const PER_TURN = 8;

// What a db instrumentation's span carries (db-call.ts): the metric's attributes, plus the query text.
const NAME = 'SELECT shop.users';
function measuredAttributes() {
  return {
    'db.system.name': 'postgresql',
    'db.namespace': 'shop',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'users',
    'server.address': 'db.internal',
  };
}
const QUERY_TEXT = 'SELECT id, name, email FROM users WHERE id = $1';

// ---------------------------------------------------------------- sink child

/** Both sinks in one process: gRPC (bench/sink.mjs) and OTLP/HTTP protobuf (answered 200, empty body). */
async function sinkChild() {
  const { startSink, countItems } = await import('../sink.mjs');
  const grpc = await startSink();
  let httpSpans = 0;
  const http = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') httpSpans += countItems(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise((done) => http.listen(0, '127.0.0.1', done));
  process.on('message', (message) => {
    if (message === 'take') {
      const spans = grpc.take().traces.items + httpSpans;
      httpSpans = 0;
      process.send({ spans });
    } else if (message === 'close') {
      http.close();
      grpc.close().then(() => process.exit(0));
    }
  });
  process.send({ grpcPort: grpc.port, httpPort: http.address().port });
}

// ---------------------------------------------------------------- app child

function oursSetup(dist, protocol, ports) {
  const env = {
    OTEL_SERVICE_NAME: 'bench',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${protocol === 'grpc' ? ports.grpcPort : ports.httpPort}`,
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    // The runtime metrics' own observers are no part of the span pipeline.
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime',
    OTEL_LOG_LEVEL: process.env.OTEL_LOG_LEVEL ?? 'info',
    OTEL_BSP_MAX_QUEUE_SIZE: String(MAX_QUEUE_SIZE),
  };
  const sdk = require(join(dist, 'src', 'bootstrap', 'start.js')).start(env);
  const api = require('@opentelemetry/api');
  const tracer = api.trace.getTracer('@otel-instrument/pg', '0.1.0');
  const histogram = api.metrics.getMeter('@otel-instrument/pg', '0.1.0').createHistogram('db.client.operation.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] },
  });
  return { api, tracer, histogram, finish: () => sdk.shutdown() };
}

function officialSetup(protocol, ports) {
  const official = createRequire(join(root, 'bench', 'official', 'package.json'));
  const api = official('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor, AlwaysOnSampler } = official('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = official('@opentelemetry/resources');
  const { MeterProvider, PeriodicExportingMetricReader } = official('@opentelemetry/sdk-metrics');
  const { AsyncLocalStorageContextManager } = official('@opentelemetry/context-async-hooks');
  const resource = resourceFromAttributes({ 'service.name': 'bench' });
  const exporter =
    protocol === 'grpc'
      ? new (official('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter)({ url: `http://127.0.0.1:${ports.grpcPort}` })
      : new (official('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter)({ url: `http://127.0.0.1:${ports.httpPort}/v1/traces` });
  const metricExporter =
    protocol === 'grpc'
      ? new (official('@opentelemetry/exporter-metrics-otlp-grpc').OTLPMetricExporter)({ url: `http://127.0.0.1:${ports.grpcPort}` })
      : new (official('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter)({ url: `http://127.0.0.1:${ports.httpPort}/v1/metrics` });
  const provider = new BasicTracerProvider({ resource, sampler: new AlwaysOnSampler(), spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: MAX_QUEUE_SIZE })] });
  const meterProvider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 })] });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  const tracer = api.trace.getTracer('@opentelemetry/instrumentation-pg', '0.1.0');
  const histogram = api.metrics.getMeter('@opentelemetry/instrumentation-pg', '0.1.0').createHistogram('db.client.operation.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] },
  });
  return { api, tracer, histogram, finish: () => Promise.all([provider.shutdown(), meterProvider.shutdown()]) };
}

/** No SDK: the API's no-op tracer and meter. What the loop itself costs, to subtract. */
function noSdkSetup() {
  const api = require('@opentelemetry/api');
  const tracer = api.trace.getTracer('none');
  const histogram = api.metrics.getMeter('none').createHistogram('db.client.operation.duration');
  return { api, tracer, histogram, finish: async () => undefined };
}

/**
 * `count` operations, PER_TURN per turn of the event loop, at no more than `rate` a second (a loop of
 * database calls is bound by their round trips; unbounded, the app outruns one export in flight at a
 * time and the queue drops spans); resolves after the last.
 */
function operations(setup, parent, count, rate) {
  const { tracer, histogram } = setup;
  return new Promise((done) => {
    let left = count;
    const startedAt = performance.now();
    const turn = () => {
      for (let i = 0; i < PER_TURN; i++) {
        const started = performance.now();
        // As db-call.ts does: a fresh attribute set per operation, the metric's copy, the span's query text.
        const attributes = measuredAttributes();
        const measured = { ...attributes };
        attributes['db.query.text'] = QUERY_TEXT;
        const span = tracer.startSpan(NAME, { kind: 2, attributes }, parent);
        span.end();
        histogram.record((performance.now() - started) / 1000, measured);
      }
      left -= PER_TURN;
      if (left <= 0) return done();
      const ahead = startedAt + ((count - left) * 1000) / rate - performance.now();
      if (ahead >= 1) setTimeout(turn, ahead);
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
}

/**
 * SPAN_PIPELINE_HEAP=file: where the measured window's allocations come from, garbage included (the
 * sampling heap profiler; --heap-prof keeps only what is still alive at exit). Open it in DevTools.
 */
async function allocationSampling() {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((done, fail) => session.post(method, params, (e, r) => (e ? fail(e) : done(r))));
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: process.env.SPAN_PIPELINE_HEAP_LIVE !== '1', includeObjectsCollectedByMinorGC: process.env.SPAN_PIPELINE_HEAP_LIVE !== '1' });
  return {
    async stop(file) {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function appChild() {
  const { impl, protocol, dist, rate } = JSON.parse(process.env.SPAN_PIPELINE_CHILD);
  const ports = JSON.parse(process.env.SPAN_PIPELINE_PORTS);
  const setup = impl === 'official' ? officialSetup(protocol, ports) : impl === 'none' ? noSdkSetup() : oursSetup(dist, protocol, ports);
  // Every span has a parent, as under a request: the SDK's own span (bench/lib/op-loop.cjs's 'bench loop').
  const request = setup.tracer.startSpan('bench loop', { kind: 1 });
  const parent = setup.api.trace.setSpan(setup.api.ROOT_CONTEXT, request);
  // One batch first: the exporter connects (and loads) while nothing else waits behind it.
  await operations(setup, parent, 512, rate);
  await sleep(500);
  await operations(setup, parent, WARMUP - 512, rate);
  await sleep(300);

  const gc = { minor: 0, major: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = entry.detail?.kind ?? entry.kind;
      if (kind === 1) gc.minor++;
      else if (kind === 2) gc.major++;
      gc.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const heap = process.env.SPAN_PIPELINE_HEAP === undefined ? undefined : await allocationSampling();
  // Each slice's CPU is counted from the end of the one before: the exports it left behind (they finish
  // while another configuration runs its slice) are counted in the next, the last one's at 'finish'.
  let cpu = process.cpuUsage();
  const report = (spans) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const r = { cpuUs: used.user + used.system, spans, gc: { ...gc } };
    gc.minor = gc.major = gc.ms = 0;
    return r;
  };
  let first = true;
  process.on('message', async (message) => {
    if (message.run !== undefined) {
      // Not the wait for the other apps' start: counted from here.
      if (first) report(0);
      first = false;
      const from = process.hrtime.bigint();
      await operations(setup, parent, message.run, rate);
      // For a profile of the measured slices only: their bounds on the profiler's clock (µs, monotonic).
      if (process.env.SPAN_PIPELINE_WINDOW === '1') console.error(`window ${from / 1000n} ${process.hrtime.bigint() / 1000n}`);
      process.send(report(message.run));
    } else if (message === 'finish') {
      // Every span's export is over by then (a slice is a whole number of 512-span batches).
      await sleep(300);
      const last = report(0);
      observer.disconnect();
      if (heap !== undefined) await heap.stop(process.env.SPAN_PIPELINE_HEAP);
      last.heapMb = process.memoryUsage().heapUsed / 1048576;
      request.end();
      await setup.finish();
      process.send(last);
      process.exit(0);
    }
  });
  process.send('ready');
}

// ---------------------------------------------------------------- parent

/** A configuration's app, started and warmed up: it runs slices when asked (ask(child, { run: n })). */
function startChild(config, ports, rate, execArgv) {
  return new Promise((resolveStart, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv,
      env: { ...process.env, SPAN_PIPELINE_CHILD: JSON.stringify({ ...config, rate }), SPAN_PIPELINE_PORTS: JSON.stringify(ports) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', () => resolveStart(child));
    child.once('exit', (code) => code !== 0 && reject(new Error(`${config.name} exited ${code}`)));
  });
}

function ask(child, message) {
  return new Promise((done) => {
    child.once('message', done);
    child.send(message);
  });
}

async function main() {
  const { values: flags } = parseArgs({
    options: { rounds: { type: 'string' }, spans: { type: 'string' }, rate: { type: 'string' }, 'node-flags': { type: 'string' }, configs: { type: 'string' }, base: { type: 'string' } },
  });
  const rounds = Number(flags.rounds ?? 10);
  const spans = Math.ceil(Number(flags.spans ?? 51_200) / 512) * 512;
  const rate = Number(flags.rate ?? 30_000);
  // e.g. --node-flags='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the apps
  const execArgv = flags['node-flags']?.split(' ').filter(Boolean) ?? [];
  const dist = join(root, 'dist');
  let configs = [
    { name: 'no-sdk', impl: 'none' },
    { name: 'ours-grpc', impl: 'ours', protocol: 'grpc', dist },
    { name: 'ours-http', impl: 'ours', protocol: 'http/protobuf', dist },
    { name: 'official-grpc', impl: 'official', protocol: 'grpc' },
    { name: 'official-http', impl: 'official', protocol: 'http/protobuf' },
  ];
  if (flags.base !== undefined) {
    const base = resolve(flags.base);
    configs.unshift({ name: 'base-grpc', impl: 'ours', protocol: 'grpc', dist: base }, { name: 'base-http', impl: 'ours', protocol: 'http/protobuf', dist: base });
  }
  if (flags.configs !== undefined) {
    const wanted = flags.configs.split(',');
    configs = configs.filter((c) => wanted.includes(c.name));
  }
  try {
    createRequire(join(root, 'bench', 'official', 'package.json')).resolve('@opentelemetry/sdk-trace-base');
  } catch {
    console.log('bench/official is not installed: the official SDK is left out');
    configs = configs.filter((c) => c.impl !== 'official');
  }

  const sink = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, SPAN_PIPELINE_SINK: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise((done) => sink.once('message', done));
  console.log(
    `node ${process.version}; ${configs.length} apps side by side, ${rounds} rounds of ${spans} spans each, in turn (after ${WARMUP}); ` +
      `${PER_TURN} spans per event-loop turn, at most ${rate}/s; queues of ${MAX_QUEUE_SIZE}; sink in another process\n`,
  );
  const results = Object.fromEntries(configs.map((c) => [c.name, []]));
  const children = {};
  let made = 0;
  try {
    for (const config of configs) {
      children[config.name] = await startChild(config, ports, rate, execArgv);
      if (config.impl !== 'none') made += WARMUP + 1;
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? configs : [...configs].reverse();
      for (const config of order) {
        const r = await ask(children[config.name], { run: spans });
        if (config.impl !== 'none') made += spans;
        results[config.name].push(r);
        console.log(
          `round ${round + 1}/${rounds} ${config.name.padEnd(14)} ${(r.cpuUs / spans).toFixed(2).padStart(6)} us CPU/span` +
            `   gc: ${r.gc.minor} minor, ${r.gc.major} major, ${r.gc.ms.toFixed(0)} ms`,
        );
      }
    }
    for (const config of configs) {
      const last = await ask(children[config.name], 'finish');
      // What the last slice left behind: counted with it.
      const rs = results[config.name];
      rs.at(-1).cpuUs += last.cpuUs;
      console.log(`${config.name}: heap ${last.heapMb.toFixed(0)} MB at the end`);
    }
    await sleep(200);
    const { spans: arrived } = await ask(sink, 'take');
    if (arrived !== made) console.log(`\nWARNING: the sink got ${arrived} spans of ${made}: a queue dropped some (the sink fell behind?); the numbers below count work not done`);
  } finally {
    for (const child of Object.values(children)) if (child.exitCode === null) child.kill();
    sink.send('close');
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  console.log('\n| config | median CPU µs/span | min | max | minor GCs / 10k spans | GC ms / 10k spans |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const config of configs) {
    const rs = results[config.name];
    const cpu = rs.map((r) => r.cpuUs / spans);
    const per10k = (f) => median(rs.map((r) => (f(r) * 10_000) / spans));
    console.log(
      `| ${config.name} | ${median(cpu).toFixed(2)} | ${Math.min(...cpu).toFixed(2)} | ${Math.max(...cpu).toFixed(2)} | ` +
        `${per10k((r) => r.gc.minor).toFixed(1)} | ${per10k((r) => r.gc.ms).toFixed(1)} |`,
    );
  }
  // A/B: each round's ours against the same round's base, which ran next to it (the machine's load moves).
  for (const protocol of ['grpc', 'http']) {
    const a = results[`base-${protocol}`];
    const b = results[`ours-${protocol}`];
    if (a === undefined || b === undefined || a.length === 0 || b.length === 0) continue;
    const ratios = a.map((r, i) => b[i].cpuUs / r.cpuUs).sort((x, y) => x - y);
    console.log(`\nours-${protocol} / base-${protocol}, paired by round: median ${median(ratios).toFixed(3)} (min ${ratios[0].toFixed(3)}, max ${ratios.at(-1).toFixed(3)})`);
  }
}

if (process.env.SPAN_PIPELINE_SINK === '1') await sinkChild();
else if (process.env.SPAN_PIPELINE_CHILD !== undefined) await appChild();
else await main();
