// `node bench/memory.mjs`: where the private memory (USS) of an app under load goes, with and without
// otel-instrument: the launcher's and the app's USS after load, and the app's V8 heap spaces (physical),
// in interleaved rounds. Same apps, cores, sink and OTEL_* environment as bench/run.mjs.
//   --app http-hello (or express, ...)  --rounds 3  --duration 8s  --warmup 3s
// Configs: baseline, otel-instrument, OTEL_SDK_DISABLED=true, OTEL_TRACES_SAMPLER=always_off, collector down.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSink } from './sink.mjs';
import { APPS, APP_CORE, LOAD_CORE } from './lib/apps.mjs';
import { closedPort, otelEnv } from './lib/configs.mjs';
import { appPid, startPinned, ussMb } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { app: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' } } });
const app = APPS[flags.app ?? 'http-hello'];
if (app === undefined) throw new Error(`unknown app "${flags.app}" (known: ${Object.keys(APPS).join(', ')})`);
const ROUNDS = Number(flags.rounds ?? 3);
const node = process.execPath;
const launcher = join(here, '..', 'bin', 'otel-instrument');
const preload = ['--require', join(here, 'lib', 'heap-spaces.cjs')];
const deadPort = await closedPort();
const CONFIGS = {
  baseline: { launcher: false },
  'otel-instrument': { launcher: true },
  'sdk disabled': { launcher: true, env: { OTEL_SDK_DISABLED: 'true' } },
  'always_off': { launcher: true, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  'collector down': { launcher: true, env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}` } },
};
const MB = (bytes) => bytes / 1048576;

const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
const sink = await startSink();
// Free ports, not run.mjs's fixed ones, so this can run beside a bench.
const downstreamPort = String(await closedPort());
const downstream = startPinned(LOAD_CORE, node, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: downstreamPort });
await downstream.ready;
const results = Object.fromEntries(Object.keys(CONFIGS).map((name) => [name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, config] of Object.entries(CONFIGS)) {
      const script = join(here, 'apps', app.script);
      const args = config.launcher ? [launcher, node, ...preload, script] : [...preload, script];
      const port = await closedPort();
      const heapFile = join(dir, `heap-${round}-${port}`);
      const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: downstreamPort, PORT: String(port), BENCH_HEAP_FILE: heapFile, ...config.env };
      const url = `http://127.0.0.1:${port}${app.path}`;
      const child = startPinned(APP_CORE, node, args, env);
      try {
        await child.ready;
        await wrk(LOAD_CORE, 50, flags.warmup ?? '3s', url, false);
        const { rps } = parseWrk(await wrk(LOAD_CORE, 50, flags.duration ?? '8s', url, false));
        await new Promise((resolve) => setTimeout(resolve, 1200)); // the preload's next write
        const pid = appPid(child.child.pid);
        const appUss = ussMb(pid);
        const launcherUss = pid === child.child.pid ? 0 : ussMb(child.child.pid);
        const heap = existsSync(`${heapFile}.${pid}`) ? JSON.parse(readFileSync(`${heapFile}.${pid}`, 'utf8')) : undefined;
        results[name].push({ rps, appUss, launcherUss, heap });
        console.log(`round ${round + 1}/${ROUNDS} ${name.padEnd(16)} ${rps.toFixed(0).padStart(6)} req/s  app USS ${appUss.toFixed(1)} MB  launcher USS ${launcherUss.toFixed(1)} MB`);
      } finally {
        await child.stop();
      }
    }
  }
} finally {
  await downstream.stop();
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
}

const cell = (list, pick, digits = 1) => {
  const values = list.map(pick).filter(Number.isFinite);
  return values.length === 0 ? 'n/a' : median(values).toFixed(digits);
};
const lines = [
  `${app.title}, node ${process.version}: medians of ${ROUNDS} interleaved rounds, 1.2 s after ${flags.warmup ?? '3s'} warmup + ${flags.duration ?? '8s'} of load (MB)`,
  '',
  '| config | req/s | group USS | app USS | launcher USS | new space | old space | code space | external (ArrayBuffers) |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
];
for (const [name, list] of Object.entries(results)) {
  lines.push(`| ${name} | ${cell(list, (r) => r.rps, 0)} | ${cell(list, (r) => r.appUss + r.launcherUss)} | ${cell(list, (r) => r.appUss)} | ${cell(list, (r) => r.launcherUss)} | ` +
    `${cell(list, (r) => MB(r.heap?.spaces.new_space))} | ${cell(list, (r) => MB(r.heap?.spaces.old_space))} | ${cell(list, (r) => MB(r.heap?.spaces.code_space))} | ` +
    `${cell(list, (r) => MB(r.heap?.external))} (${cell(list, (r) => MB(r.heap?.arrayBuffers))}) |`);
}
console.log(`\n${lines.join('\n')}`);
