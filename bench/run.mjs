// `npm run bench`: each fixture app uninstrumented (baseline), under otel-instrument and under the
// official @opentelemetry/auto-instrumentations-node (installed in bench/official), in interleaved
// rounds. App on core 0; wrk, the downstream server and the sink on core 1. Every instrumented
// config exports all three signals over OTLP gRPC to the local sink, 100% sampled.
// Prints medians and ratios and writes them to bench/results/latest.md (or $BENCH_OUT).
//
// BENCH_ROUNDS (5), BENCH_DURATION (10s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (50),
// BENCH_STARTUP_RUNS (20), BENCH_APPS (http-hello,express), BENCH_CONFIGS (all), BENCH_OUT.
// The same as flags, which win: npm run bench -- --apps http-hello --configs otel-instrument,official
//   --rounds 3 --duration 10s --warmup 3s --connections 50 --startup-runs 0 --out file.md
// --before <dir> adds a config 'before': the otel-instrument checkout in <dir> (built), e.g. the last
// commit, for a before/after comparison within one interleaved run.
// Then the database loops (bench/lib/db-bench.mjs) for every driver whose server is installed, and the
// gRPC, RabbitMQ, socket.io, OpenAI and AWS loops: --db pg,grpc,amqplib,socket.io,openai,aws-sdk picks them, --db none skips
// them (BENCH_DB); BENCH_DB_MS
// (3000) per round.
// A round in which the app got under 90% of its core (something else ran) is measured again, twice at most.
// baseline always runs (every ratio needs it). A run of fewer apps or configs than all writes to
// bench/results/tmp/partial.md unless --out says otherwise, so latest.md keeps the full table.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSink } from './sink.mjs';
import { ensureReady } from './lib/setup.mjs';
import { APPS, APP_CORE, LOAD_CORE } from './lib/apps.mjs';
import { CONFIG_NAMES, EXPORTING, closedPort, configCommands, configEnv, otelEnv, preloadCommands, rotated, versions } from './lib/configs.mjs';
import { appPid, cpuSeconds, groupCpuSeconds, groupRssMb, groupUssMb, rssMb, sameBinary, startPinned } from './lib/processes.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';
import { startupMs } from './lib/startup.mjs';
import { dropNotes, earlierRuns, loadTable, memoryNote, startupTable } from './lib/report.mjs';
import { DRIVERS, availableDrivers, dbBench } from './lib/db-bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values: flags } = parseArgs({
  options: {
    apps: { type: 'string' },
    configs: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'startup-runs': { type: 'string' },
    before: { type: 'string' },
    db: { type: 'string' },
    out: { type: 'string' },
  },
});
const ROUNDS = Number(flags.rounds ?? process.env.BENCH_ROUNDS ?? 5);
const DURATION = flags.duration ?? process.env.BENCH_DURATION ?? '10s';
const WARMUP = flags.warmup ?? process.env.BENCH_WARMUP ?? '3s';
const CONNECTIONS = Number(flags.connections ?? process.env.BENCH_CONNECTIONS ?? 50);
const STARTUP_RUNS = Number(flags['startup-runs'] ?? process.env.BENCH_STARTUP_RUNS ?? 20);
/** A round where the app got less CPU than this is measured again, at most NOISY_RETRIES times. */
const MIN_APP_CPU = 0.9;
const NOISY_RETRIES = 2;

function pick(list, known, what) {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (!known.includes(name)) throw new Error(`unknown ${what} "${name}" (known: ${known.join(', ')})`);
  return names;
}
const appNames = pick(flags.apps ?? process.env.BENCH_APPS ?? Object.keys(APPS).join(','), Object.keys(APPS), 'app');
const dbFlag = flags.db ?? process.env.BENCH_DB;
// undefined: every driver whose server is installed, found once the build (ensureReady) is there.
const dbDrivers = dbFlag === 'none' ? [] : dbFlag === undefined ? undefined : pick(dbFlag, Object.keys(DRIVERS), 'database driver');
const DB_ROUND_MS = Number(process.env.BENCH_DB_MS ?? 3000);
const BEFORE = flags.before === undefined ? undefined : resolve(flags.before);
const allConfigs = BEFORE === undefined ? CONFIG_NAMES : [...CONFIG_NAMES.slice(0, 1), 'before', ...CONFIG_NAMES.slice(1)];
const picked = pick(flags.configs ?? process.env.BENCH_CONFIGS ?? allConfigs.join(','), allConfigs, 'config');
// Table order, baseline first and always there; --before always runs when given.
const configNames = allConfigs.filter((name) => name === 'baseline' || name === 'before' || picked.includes(name));
const partial = appNames.length < Object.keys(APPS).length || configNames.length < allConfigs.length || BEFORE !== undefined;
const OUT = resolve(flags.out ?? process.env.BENCH_OUT ?? join(here, 'results', partial ? 'tmp/partial.md' : 'latest.md'));

let nextPort = 18100;

// Node 20 parses the file NODE_EXTRA_CA_CERTS names at every start (Node 22 and later when TLS first
// needs it): about 38 ms here, where the machine sets it to the system bundle, paid once more by the
// launcher's own Node. Startup is timed without it, so it measures Node and us, not this machine's bundle.
const STARTUP_CA_NOTE = process.env.NODE_EXTRA_CA_CERTS ? ' less NODE_EXTRA_CA_CERTS (bench/run.mjs says why)' : '';
function withoutExtraCaCerts(env) {
  const { NODE_EXTRA_CA_CERTS, ...rest } = env;
  return rest;
}

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
    const groupCpuBefore = groupCpuSeconds(app.child.pid);
    const started = process.hrtime.bigint();
    const measured = parseWrk(await wrk(LOAD_CORE, CONNECTIONS, DURATION, url, true));
    // CPU time of the whole group per request served: what each request costs, however busy the machine.
    const groupCpuUsPerRequest = ((groupCpuSeconds(app.child.pid) - groupCpuBefore) * 1e6) / Math.max(1, measured.requests);
    // Well under 100% means something other than the app (a busy machine, core 1) set the pace.
    const appCpu = (cpuSeconds(pid) - cpuBefore) / (Number(process.hrtime.bigint() - started) / 1e9);
    // All requests the app served, warmup included: what the exported span count compares with.
    // Memory after load: the app's RSS, and the private memory (USS) of the whole group, launcher included.
    result = {
      ...measured,
      served: warm.requests + measured.requests,
      rssMb: rssMb(pid),
      groupRssMb: groupRssMb(app.child.pid),
      groupUssMb: groupUssMb(app.child.pid),
      // Whether this process (which hosts the sink) runs the app's node binary, sharing its pages.
      sharesBinary: sameBinary(pid),
      groupCpuUsPerRequest,
      appCpu,
    };
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
  for (const app of appNames) APPS[app].prepare?.(root);
  mkdirSync(dirname(OUT), { recursive: true });
  // Earlier runs are those of the same results file: another Node's runs (node24.md) are not this one's history.
  const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  const commands = configCommands(root, BEFORE);
  const compared = versions(root);
  const sink = await startSink();
  const downstream = startPinned(LOAD_CORE, process.execPath, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: '18099' });
  await downstream.ready;
  const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: '18099' };
  const deadPort = await closedPort();
  const envFor = (name) => ({ ...env, ...configEnv(name, deadPort) });

  const rounds = {};
  const exported = {};
  for (const app of appNames) {
    rounds[app] = Object.fromEntries(configNames.map((name) => [name, []]));
    exported[app] = Object.fromEntries(configNames.map((name) => [name, emptyCounts()]));
  }
  const problems = [];
  const warned = new Set();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const app of appNames) {
        for (const name of rotated(configNames, round)) {
          const [command, args] = commands[name](join(here, 'apps', APPS[app].script));
          let r;
          let got;
          // Well under 100% app CPU means something else on the machine set the pace: measure again.
          for (let attempt = 0; ; attempt++) {
            sink.take();
            r = await loadRound(command, args, envFor(name), APPS[app].path);
            got = sink.take();
            if (r.appCpu >= MIN_APP_CPU || attempt >= NOISY_RETRIES) break;
            console.log(`  ${app}/${name}: app CPU ${(r.appCpu * 100).toFixed(0)}%, the machine was busy; measuring again`);
          }
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
            `round ${round + 1}/${ROUNDS} ${app.padEnd(10)} ${name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${r.p99Ms.toFixed(2)} ms` +
              `  rss ${r.rssMb.toFixed(1)} MB (group ${r.groupRssMb.toFixed(1)} MB)  group uss ${r.groupUssMb.toFixed(1)} MB  group cpu ${r.groupCpuUsPerRequest.toFixed(0)} us/request  app cpu ${(r.appCpu * 100).toFixed(0)}%  exported ${got.traces.items} spans (${(got.traces.items / r.served).toFixed(2)}/request), ${got.metrics.items} metrics, ${got.logs.items} logs` +
              (r.socketErrors ? `  (wrk socket errors: ${r.socketErrors})` : ''),
          );
        }
      }
    }
    let startup;
    const preloads = preloadCommands(root, BEFORE);
    const startupNames = [...configNames, ...Object.keys(preloads)];
    if (STARTUP_RUNS > 0) {
      console.log(`\nstartup: ${STARTUP_RUNS} interleaved runs per config of bench/apps/require-express.js`);
      startup = await startupMs({
        core: APP_CORE,
        commands: { ...commands, ...preloads },
        names: startupNames,
        script: join(here, 'apps', 'require-express.js'),
        envFor: (name) => withoutExtraCaCerts(envFor(name)),
        runs: STARTUP_RUNS,
        warmup: 3,
      });
    }

    const sections = [];
    for (const app of appNames) {
      const notes = [...dropNotes(configNames, exported[app]), memoryNote(rounds[app])].map((note) => `\n\n${note}`).join('');
      sections.push(`## ${app}: ${APPS[app].title} (GET ${APPS[app].path})\n\n${loadTable(configNames, rounds[app], exported[app])}${notes}`);
      for (const name of configNames) {
        const e = exported[app][name];
        if (EXPORTING.has(name) && e.traces.items === 0) problems.push(`${app}/${name} exported no spans: a broken measurement`);
        if (name === 'collector down' && e.traces.calls + e.metrics.calls + e.logs.calls > 0) problems.push(`${app}/collector down reached the sink`);
        if (name === 'baseline' && e.traces.calls + e.metrics.calls + e.logs.calls > 0) problems.push(`${app}/baseline exported telemetry`);
      }
    }
    if (startup !== undefined) {
      sections.push(`## startup: start to exit of a script that requires express\n\n${startupTable(startupNames, startup, STARTUP_RUNS)}`);
    }
    for (const driver of dbDrivers ?? availableDrivers()) {
      console.log(`\ndatabase: ${driver}`);
      sections.push(await dbBench(driver, ROUNDS, DB_ROUND_MS, console.log, BEFORE));
    }

    const smoke = ROUNDS < 3 ? ' **Smoke run: too few rounds to quote.**' : '';
    const protocol =
      `${ROUNDS} interleaved rounds of ${DURATION} after a ${WARMUP} warmup per app and config; wrk -t1 -c${CONNECTIONS}. ` +
      `App pinned to core ${APP_CORE}; wrk, the downstream server and the sink on core ${LOAD_CORE}. ` +
      `Instrumented configs: 100% sampled, traces + metrics + logs over OTLP gRPC to a local sink. ` +
      `otel-instrument at ${compared.ours}${BEFORE === undefined ? '' : ` (before: ${BEFORE})`}; official = \`node --require @opentelemetry/auto-instrumentations-node/register\` ` +
      `(${compared.official}, from bench/official; it does not capture console.log, so it exports no logs here). ` +
      `Medians over rounds. RSS: the app process after load. Group USS: private memory (Private_Clean + Private_Dirty of /proc/<pid>/smaps_rollup) ` +
      `of the app and, for otel-instrument, its launcher, summed, after load. App CPU: its CPU time over wall time during the measured run ` +
      `(well under 100% means something else set the pace). Spans per request: exported spans over requests served (warmup included); ` +
      `below the app's span count means spans were dropped. Startup: same environment${STARTUP_CA_NOTE}, exports at exit included.${smoke}`;
    const body = `${protocol}\n\n${sections.join('\n\n')}\n`;
    console.log(`\n${body}`);
    if (problems.length > 0) {
      console.error(`\nBROKEN MEASUREMENT, ${relative(root, OUT)} not written:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
      return;
    }
    const earlier = partial ? [] : earlierRuns(previous);
    const title = `# Benchmark (${new Date().toISOString()}, node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'})`;
    writeFileSync(OUT, `${title}\n\n${body}${earlier.length ? `\n## Earlier runs\n\n${earlier.join('\n')}\n` : ''}`);
    console.log(`wrote ${relative(root, OUT)}`);
  } finally {
    await downstream.stop();
    await sink.close();
  }
}

await main();
