// `npm run bench`: each fixture app uninstrumented (baseline), under otel-instrument and under the
// official @opentelemetry/auto-instrumentations-node (installed in bench/official), in interleaved
// rounds. App on core 0; wrk, the downstream server and the sink on core 1. Every instrumented
// config exports all three signals over OTLP gRPC to the local sink, 100% sampled.
// Prints medians and ratios and writes them to bench/results/latest.md (or $BENCH_OUT).
//
// BENCH_ROUNDS (5), BENCH_DURATION (10s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (50),
// BENCH_STARTUP_RUNS (20), BENCH_APPS (http-hello,express), BENCH_OUT.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSink } from './sink.mjs';
import { ensureReady } from './lib/setup.mjs';
import { CONFIG_NAMES, configCommands, otelEnv, rotated, versions } from './lib/configs.mjs';
import { appPid, cpuSeconds, rssMb, startPinned } from './lib/processes.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';
import { startupMs } from './lib/startup.mjs';
import { dropNotes, earlierRuns, loadTable, startupTable } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = process.env.BENCH_DURATION ?? '10s';
const WARMUP = process.env.BENCH_WARMUP ?? '3s';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const OUT = resolve(process.env.BENCH_OUT ?? join(here, 'results', 'latest.md'));
const APP_CORE = 0;
const LOAD_CORE = 1;

const APPS = {
  'http-hello': { title: 'plain node:http hello', script: 'http-hello.js', path: '/' },
  express: { title: 'express 4: router, 2 middlewares, console.log, outgoing GET', script: 'express-app.js', path: '/api/users/42' },
};
const appNames = (process.env.BENCH_APPS ?? Object.keys(APPS).join(',')).split(',');

let nextPort = 18100;

async function loadRound(command, args, env, path) {
  const port = nextPort++;
  const app = startPinned(APP_CORE, command, args, { ...env, PORT: String(port) });
  let result;
  try {
    await app.ready;
    const url = `http://127.0.0.1:${port}${path}`;
    const warm = parseWrk(await wrk(LOAD_CORE, CONNECTIONS, WARMUP, url, false));
    const pid = appPid(app.child.pid);
    const cpuBefore = cpuSeconds(pid);
    const started = process.hrtime.bigint();
    const measured = parseWrk(await wrk(LOAD_CORE, CONNECTIONS, DURATION, url, true));
    // Well under 100% means something other than the app (a busy machine, core 1) set the pace.
    const appCpu = (cpuSeconds(pid) - cpuBefore) / (Number(process.hrtime.bigint() - started) / 1e9);
    // All requests the app served, warmup included: what the exported span count compares with.
    result = { ...measured, served: warm.requests + measured.requests, rssMb: rssMb(pid), appCpu };
  } finally {
    // SIGTERM lets both SDKs flush what they hold, so the sink counts are complete.
    await app.stop();
  }
  return { ...result, stderr: app.stderr() };
}

function emptyCounts() {
  return { served: 0, traces: { calls: 0, items: 0 }, metrics: { calls: 0, items: 0 }, logs: { calls: 0, items: 0 } };
}

function addCounts(into, from) {
  into.served += from.served;
  for (const signal of ['traces', 'metrics', 'logs']) {
    into[signal].calls += from[signal].calls;
    into[signal].items += from[signal].items;
  }
}

async function main() {
  ensureReady(root);
  mkdirSync(dirname(OUT), { recursive: true });
  const previous = existsSync(join(here, 'results', 'latest.md')) ? readFileSync(join(here, 'results', 'latest.md'), 'utf8') : '';
  const commands = configCommands(root);
  const compared = versions(root);
  const sink = await startSink();
  const downstream = startPinned(LOAD_CORE, process.execPath, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: '18099' });
  await downstream.ready;
  const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: '18099' };

  const rounds = {};
  const exported = {};
  for (const app of appNames) {
    rounds[app] = Object.fromEntries(CONFIG_NAMES.map((name) => [name, []]));
    exported[app] = Object.fromEntries(CONFIG_NAMES.map((name) => [name, emptyCounts()]));
  }
  const problems = [];
  const warned = new Set();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const app of appNames) {
        for (const name of rotated(CONFIG_NAMES, round)) {
          const [command, args] = commands[name](join(here, 'apps', APPS[app].script));
          sink.take();
          const r = await loadRound(command, args, env, APPS[app].path);
          const got = sink.take();
          got.served = r.served;
          addCounts(exported[app][name], got);
          if (got.badBodies > 0) problems.push(`${app}/${name}: ${got.badBodies} export bodies the sink could not read`);
          rounds[app][name].push(r);
          const stderr = r.stderr.trim();
          if (stderr && !warned.has(`${app}/${name}`)) {
            warned.add(`${app}/${name}`);
            console.log(`  ${app}/${name} wrote to stderr (shown once):\n  ${stderr.split('\n').slice(0, 10).join('\n  ')}`);
          }
          console.log(
            `round ${round + 1}/${ROUNDS} ${app.padEnd(10)} ${name.padEnd(15)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${r.p99Ms.toFixed(2)} ms` +
              `  rss ${r.rssMb.toFixed(1)} MB  app cpu ${(r.appCpu * 100).toFixed(0)}%  exported ${got.traces.items} spans (${(got.traces.items / r.served).toFixed(2)}/request), ${got.metrics.items} metrics, ${got.logs.items} logs` +
              (r.socketErrors ? `  (wrk socket errors: ${r.socketErrors})` : ''),
          );
        }
      }
    }
    console.log(`\nstartup: ${STARTUP_RUNS} interleaved runs per config of bench/apps/require-express.js`);
    const startup = await startupMs({
      core: APP_CORE,
      commands,
      names: CONFIG_NAMES,
      script: join(here, 'apps', 'require-express.js'),
      env,
      runs: STARTUP_RUNS,
      warmup: 3,
    });

    const sections = [];
    for (const app of appNames) {
      const notes = dropNotes(CONFIG_NAMES, exported[app]).map((note) => `\n\n${note}`).join('');
      sections.push(`## ${app}: ${APPS[app].title} (GET ${APPS[app].path})\n\n${loadTable(CONFIG_NAMES, rounds[app], exported[app])}${notes}`);
      for (const name of CONFIG_NAMES) {
        const e = exported[app][name];
        if (name !== 'baseline' && e.traces.items === 0) problems.push(`${app}/${name} exported no spans: a broken measurement`);
        if (name === 'baseline' && e.traces.calls + e.metrics.calls + e.logs.calls > 0) problems.push(`${app}/baseline exported telemetry`);
      }
    }
    sections.push(`## startup: start to exit of a script that requires express\n\n${startupTable(CONFIG_NAMES, startup, STARTUP_RUNS)}`);

    const smoke = ROUNDS < 3 ? ' **Smoke run: too few rounds to quote.**' : '';
    const protocol =
      `${ROUNDS} interleaved rounds of ${DURATION} after a ${WARMUP} warmup per app and config; wrk -t1 -c${CONNECTIONS}. ` +
      `App pinned to core ${APP_CORE}; wrk, the downstream server and the sink on core ${LOAD_CORE}. ` +
      `Instrumented configs: 100% sampled, traces + metrics + logs over OTLP gRPC to a local sink. ` +
      `otel-instrument at ${compared.ours}; official = \`node --require @opentelemetry/auto-instrumentations-node/register\` ` +
      `(${compared.official}, from bench/official; it does not capture console.log, so it exports no logs here). ` +
      `Medians over rounds. RSS: the app process after load. App CPU: its CPU time over wall time during the measured run ` +
      `(well under 100% means something else set the pace). Spans per request: exported spans over requests served (warmup included); ` +
      `below the app's span count means spans were dropped. Startup: same environment, exports at exit included.${smoke}`;
    const body = `${protocol}\n\n${sections.join('\n\n')}\n`;
    console.log(`\n${body}`);
    if (problems.length > 0) {
      console.error(`\nBROKEN MEASUREMENT, ${relative(root, OUT)} not written:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
      return;
    }
    const earlier = earlierRuns(previous);
    const title = `# Benchmark (${new Date().toISOString()}, node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'})`;
    writeFileSync(OUT, `${title}\n\n${body}${earlier.length ? `\n## Earlier runs\n\n${earlier.join('\n')}\n` : ''}`);
    console.log(`wrote ${relative(root, OUT)}`);
  } finally {
    await downstream.stop();
    await sink.close();
  }
}

await main();
