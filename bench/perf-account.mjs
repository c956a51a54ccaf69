// `npm run bench:account`: where each microsecond of an instrumented request goes, kernel included.
// Samples the app's threads with Linux `perf` (cpu-clock, call graphs, JIT frames named through
// `node --perf-basic-prof`) during a fixed wrk run, uninstrumented, under otel-instrument and with the
// collector down, in interleaved rounds, and prints CPU µs per request by bucket (medians over rounds).
//
//   npm run bench:account -- --app http-hello --rounds 3 [--hz 1999] [--seconds 6] [--node /path/to/node] [--out file.md]
//
// Why beside bench/profile.mjs: V8's profiler sees only the main thread's JavaScript, and a syscall's
// kernel time (the loopback TCP path, waking the client) under whatever JS frame made it. Here the
// kernel's share is visible, other threads (GC helpers, compilers) are counted, and the stack says who
// asked for the work: a bucket is
// - "ours: <folder>", self time of our functions (builtins and runtime calls they make included);
// - "node, run by ours: <folder>", Node's own code (and its syscalls) that the SDK called: the
//   exporter's http2 writes, the batch timers; "node, called through our wrappers": Node's code under
//   an instrumentation's frame, which is the app's call passing through our wrapper or work of ours;
// - "AsyncLocalStorage propagation": the async_hooks init hook Node runs for each async resource once
//   a store is in use (Node 20 and 22; Node 24 propagates through AsyncContextFrame instead). The JIT
//   inlines part of it into Node's functions (nextTick): read it with node:internal/process/task_queues;
// - GC (main thread, and V8's helper threads), other threads, and Node's own work by module, the
//   request's reads and writes included.
// Needs `perf` (Debian: linux-perf) and permission to sample (root, or kernel.perf_event_paranoid <= 1).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSink } from './sink.mjs';
import { APPS, APP_CORE, LOAD_CORE } from './lib/apps.mjs';
import { closedPort, otelEnv } from './lib/configs.mjs';
import { appPid, startPinned } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { ourFolder } from './lib/our-folders.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: flags } = parseArgs({
  options: { app: { type: 'string' }, rounds: { type: 'string' }, seconds: { type: 'string' }, hz: { type: 'string' }, node: { type: 'string' }, out: { type: 'string' } },
});
const APP = flags.app ?? 'http-hello';
if (!(APP in APPS)) throw new Error(`unknown app "${APP}" (known: ${Object.keys(APPS).join(', ')})`);
const ROUNDS = Number(flags.rounds ?? 3);
const SECONDS = Number(flags.seconds ?? 6);
const NODE = flags.node ?? process.execPath;
// Resolved now: the runs below work in a temporary directory.
const OUT = flags.out === undefined ? undefined : resolve(flags.out);
// Each sample walks the stack: deep stacks (a framework's, ours inside it) make sampling cost the app more.
const HZ = Number(flags.hz ?? 1999);
const CONFIGS = ['baseline', 'otel-instrument', 'collector down'];

if (spawnSync('perf', ['--version']).status !== 0) {
  console.error('bench/perf-account.mjs needs Linux perf (Debian: apt-get install linux-perf)');
  process.exit(1);
}

const JS_POSITION = /^JS:.*? (\/\S+):(\d+):\d+$/;
/** Our folder of a perf frame ("src/export", "instrumentations/http"), or undefined for a frame not ours. */
function frameFolder(frame) {
  const match = JS_POSITION.exec(frame);
  return match === null ? undefined : ourFolder(match[1], Number(match[2]));
}

const GC = /Scaveng|Heap::|MarkCompact|GCTracer|Sweeper|ConcurrentMarking|MinorMC|IncrementalMarking|AllocateInYoungGeneration|AddFreshPage/;
const ALS = /emitInit|async_hooks:|executionAsyncResource|AsyncLocalStorage/;
const NODE_FRAME = /^JS:.* node:\S+$/;
/** Our folders whose functions wrap the app's calls into Node (and run the app's callbacks). */
const WRAPPERS = /^(instrumentations|src\/hook|src\/context)\//;
const HTTP2 = /[Hh]ttp2|nghttp2/;

/** The bucket of one sample: `frames` from the leaf outwards. */
function bucketOf(frames, isMain) {
  const gc = frames.slice(0, 8).some((f) => GC.test(f));
  if (!isMain) return gc ? 'GC, helper threads (concurrent marking, parallel scavenge, sweeping)' : 'other threads (compilers, libuv)';
  if (gc) return 'GC, main thread';
  const firstJs = frames.find((f) => f.startsWith('JS:'));
  if (firstJs !== undefined && frameFolder(firstJs) !== undefined) return `ours: ${frameFolder(firstJs)}`;
  if (frames.some((f) => ALS.test(f))) return 'AsyncLocalStorage propagation';
  // Whose is Node's code: the nearest JavaScript above it that is not Node's says. Under the app's code
  // (its res.end) it is the app's; under the SDK's (the exporter's http2 writes, the batch timers) it
  // is ours. Under an instrumentation or a patch wrapper it may be either: the app's call passing
  // through our wrapper (its http.get) or work of ours (a URL we parse), so it gets a bucket of its own.
  const caller = frames.find((f) => f.startsWith('JS:') && !NODE_FRAME.test(f));
  const callerFolder = caller === undefined ? undefined : frameFolder(caller);
  if (callerFolder !== undefined) {
    return WRAPPERS.test(callerFolder) ? `node, called through our wrappers: ${callerFolder}` : `node, run by ours: ${callerFolder}`;
  }
  // The bench apps serve HTTP/1.1 and make no http2 call: native http2 work is the exporter's connection.
  if (firstJs === undefined && frames.some((f) => HTTP2.test(f))) return 'node, run by ours: src/export (http2, native)';
  if (firstJs === undefined) return 'node native, no JS frame (event loop, http parser, kernel)';
  const module = / (node:[^: ]+):\d+/.exec(firstJs)?.[1];
  return module === undefined ? 'app and its packages' : `node: ${module}`;
}

/** The buckets in five groups, so what moved from one Node bucket to another does not read as added. */
const GROUPS = [
  ['our code (self time)', (b) => b.startsWith('ours: ')],
  ["Node's code the SDK called (exporter's http2, timers, span ids)", (b) => b.startsWith('node, run by ours: ')],
  ["AsyncLocalStorage propagation (with Node's task queue, where the JIT inlines part of it)", (b) => b === 'AsyncLocalStorage propagation' || b === 'node: node:internal/process/task_queues'],
  ["GC and V8's other threads", (b) => b.startsWith('GC') || b.startsWith('other threads')],
  ["Node and the app: the request's own work (reads, writes, parsing, the app's calls through our wrappers)", () => true],
];
const groupOf = (bucket) => GROUPS.findIndex(([, test]) => test(bucket));

/** µs per request by bucket, from `perf script` output. */
function buckets(scriptText, mainTid, requests) {
  const perSample = 1e6 / HZ / requests;
  const out = new Map();
  for (const block of scriptText.split('\n\n')) {
    const lines = block.trim().split('\n');
    if (lines.length < 2) continue;
    const tid = Number(/^\s*(\d+)/.exec(lines[0])?.[1]);
    const frames = lines.slice(1).map((l) => l.trim().replace(/^[0-9a-f]+ /, ''));
    const bucket = bucketOf(frames, tid === mainTid);
    out.set(bucket, (out.get(bucket) ?? 0) + perSample);
  }
  return out;
}

async function measured(name, sinkPort, deadPort, downstreamPort) {
  const port = await closedPort();
  const script = join(here, 'apps', APPS[APP].script);
  const env = { ...process.env, PORT: String(port), DOWNSTREAM_PORT: downstreamPort };
  if (name !== 'baseline') Object.assign(env, otelEnv(sinkPort));
  if (name === 'collector down') env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${deadPort}`;
  const nodeArgs = ['--perf-basic-prof', script];
  const app = name === 'baseline' ? startPinned(APP_CORE, NODE, nodeArgs, env) : startPinned(APP_CORE, join(root, 'bin', 'otel-instrument'), [NODE, ...nodeArgs], env);
  const data = join(workDir, 'perf.data');
  try {
    await app.ready;
    const pid = appPid(app.child.pid);
    const url = `http://127.0.0.1:${port}${APPS[APP].path}`;
    await wrk(LOAD_CORE, 50, '3s', url, false);
    const recorder = spawn('taskset', ['-c', String(LOAD_CORE), 'perf', 'record', '-q', '-g', '-F', String(HZ), '-e', 'cpu-clock', '-p', String(pid), '-o', data, '--', 'sleep', String(SECONDS + 0.5)], { stdio: 'ignore' });
    const run = parseWrk(await wrk(LOAD_CORE, 50, `${SECONDS}s`, url, false));
    await new Promise((done) => recorder.on('close', done));
    const script = spawnSync('perf', ['script', '-i', data, '-F', 'tid,ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
    rmSync(`/tmp/perf-${pid}.map`, { force: true });
    const byBucket = buckets(script, pid, run.requests);
    const groups = GROUPS.map(() => 0);
    let total = 0;
    for (const [bucket, us] of byBucket) {
      groups[groupOf(bucket)] += us;
      total += us;
    }
    return { rps: run.rps, buckets: byBucket, groups, total };
  } finally {
    rmSync(data, { force: true });
    await app.stop();
  }
}

// --perf-basic-prof turns V8's log on: each app leaves an isolate-*.log in its working directory.
const workDir = mkdtempSync(join(tmpdir(), 'bench-account-'));
process.chdir(workDir);
const sink = await startSink();
const deadPort = await closedPort();
const downstreamPort = String(await closedPort());
const downstream = startPinned(LOAD_CORE, process.execPath, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: downstreamPort });
await downstream.ready;
const runs = Object.fromEntries(CONFIGS.map((name) => [name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? CONFIGS : [...CONFIGS].reverse()) {
      const run = await measured(name, sink.port, deadPort, downstreamPort);
      runs[name].push(run);
      console.log(`round ${round + 1}/${ROUNDS} ${name.padEnd(15)} ${run.rps.toFixed(0).padStart(6)} req/s  ${run.total.toFixed(1)} µs/request (groups: ${run.groups.map((us) => us.toFixed(1)).join(' / ')})`);
    }
  }
} finally {
  await downstream.stop();
  await sink.close();
  rmSync(workDir, { recursive: true, force: true });
}

const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
const cell = (name, bucket) => median(runs[name].map((run) => run.buckets.get(bucket) ?? 0));
const all = new Set(CONFIGS.flatMap((name) => runs[name].flatMap((run) => [...run.buckets.keys()])));
const rows = [...all].map((bucket) => ({ bucket, values: CONFIGS.map((name) => cell(name, bucket)) })).filter((row) => row.values.some((v) => v >= 0.05));
rows.sort((a, b) => b.values[1] - b.values[0] - (a.values[1] - a.values[0]));
const totals = CONFIGS.map((name) => median(runs[name].map((run) => run.total)));
const fmt = (v) => v.toFixed(2);
const signed = (v) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
/** A table row: the three configs' values, each instrumented one with what it adds to the baseline. */
const row = (label, [b, o, d]) => `| ${label} | ${fmt(b)} | ${fmt(o)} | ${signed(o - b)} | ${fmt(d)} | ${signed(d - b)} |`;
const lines = [
  `# CPU per request, kernel included: ${APPS[APP].title} (${new Date().toISOString()}, node ${version})`,
  '',
  `\`perf record -g -e cpu-clock -F ${HZ}\` over the app's threads during ${SECONDS} s of wrk -c50 load after a 3 s warmup, divided by the requests wrk got; medians of ${ROUNDS} interleaved rounds. App on core ${APP_CORE}; wrk, the sink and the downstream server on core ${LOAD_CORE}. Instrumented: all signals over OTLP gRPC to the sink, 100% sampled. collector down: the same with nothing listening at the endpoint. Sampling costs the app a few percent; read the buckets, and the req/s of \`npm run bench\`.`,
  '',
  `req/s under perf (medians): ${CONFIGS.map((name) => `${name} ${median(runs[name].map((run) => run.rps)).toFixed(0)}`).join(', ')}.`,
  '',
  '| group | baseline | otel-instrument | added | collector down | added |',
  '|---|--:|--:|--:|--:|--:|',
  ...GROUPS.map(([title], g) => row(title, CONFIGS.map((name) => median(runs[name].map((run) => run.groups[g]))))),
  '',
  'By bucket:',
  '',
  '| bucket | baseline | otel-instrument | added | collector down | added |',
  '|---|--:|--:|--:|--:|--:|',
  ...rows.map(({ bucket, values }) => row(bucket, values)),
  `| **total** | **${fmt(totals[0])}** | **${fmt(totals[1])}** | **+${fmt(totals[1] - totals[0])}** | **${fmt(totals[2])}** | **+${fmt(totals[2] - totals[0])}** |`,
  '',
  `CPU ratio (baseline / config, what a CPU-bound app's throughput would be): otel-instrument ${(totals[0] / totals[1]).toFixed(2)}, collector down ${(totals[0] / totals[2]).toFixed(2)}.`,
];
console.log(`\n${lines.join('\n')}`);
if (OUT !== undefined) writeFileSync(OUT, `${lines.join('\n')}\n`);
