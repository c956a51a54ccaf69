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

// Large-object spaces hold single objects over ~128 KB (our bundle's source text is one); "other" is
// the rest of V8's spaces (maps, read-only, shared). The rest of the app's USS is what no heap space
// or ArrayBuffer accounts for: malloc'd native memory (http parser, nghttp2, zlib), thread stacks and
// private pages of the binary and its libraries. Other external memory is left out of that sum: it is
// mostly Node's built-in sources, whose pages are shared.
const SPACES = ['new_space', 'old_space', 'code_space'];
const LARGE = ['large_object_space', 'code_large_object_space', 'new_large_object_space'];
const sumOf = (spaces, names) => names.reduce((sum, name) => sum + (spaces[name] ?? 0), 0);
const largeObjects = (heap) => (heap === undefined ? NaN : sumOf(heap.spaces, LARGE));
const otherSpaces = (heap) =>
  heap === undefined ? NaN : sumOf(heap.spaces, Object.keys(heap.spaces).filter((name) => !SPACES.includes(name) && !LARGE.includes(name)));
const accounted = (heap) => (heap === undefined ? NaN : sumOf(heap.spaces, Object.keys(heap.spaces)) + heap.arrayBuffers);
const cell = (list, pick, digits = 1) => {
  const values = list.map(pick).filter(Number.isFinite);
  return values.length === 0 ? 'n/a' : median(values).toFixed(digits);
};
const lines = [
  `${app.title}, node ${process.version}: medians of ${ROUNDS} interleaved rounds, 1.2 s after ${flags.warmup ?? '3s'} warmup + ${flags.duration ?? '8s'} of load (MB)`,
  '',
  '| config | req/s | group USS | app USS | launcher USS | new space | old space | code space | large objects | other spaces | external (ArrayBuffers) | rest of app USS |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
];
for (const [name, list] of Object.entries(results)) {
  lines.push(`| ${name} | ${cell(list, (r) => r.rps, 0)} | ${cell(list, (r) => r.appUss + r.launcherUss)} | ${cell(list, (r) => r.appUss)} | ${cell(list, (r) => r.launcherUss)} | ` +
    `${cell(list, (r) => MB(r.heap?.spaces.new_space))} | ${cell(list, (r) => MB(r.heap?.spaces.old_space))} | ${cell(list, (r) => MB(r.heap?.spaces.code_space))} | ` +
    `${cell(list, (r) => MB(largeObjects(r.heap)))} | ${cell(list, (r) => MB(otherSpaces(r.heap)))} | ` +
    `${cell(list, (r) => MB(r.heap?.external))} (${cell(list, (r) => MB(r.heap?.arrayBuffers))}) | ${cell(list, (r) => r.appUss - MB(accounted(r.heap)))} |`);
}
console.log(`\n${lines.join('\n')}`);
