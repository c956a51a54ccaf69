// CPU time per request of one bench app, for A/B work on the request path on a busy machine, where
// req/s is noise. Each config runs the app with its own driver in one process (lib/request-loop.cjs:
// raw keep-alive sockets, pinned to core 0; the downstream server and the sink on core 1; all signals
// over OTLP gRPC to the sink, 100% sampled, as bench/run.mjs does) and reports that process's CPU time
// per request over a fixed number of requests after a warmup. The driver's own share is the same in
// every config, so differences are ours. Configs are interleaved, round after round.
//
//   node bench/request-cpu.mjs --app express --rounds 7 --checkout before=/tmp/before --checkout after=.
//   (--env name:KEY=VALUE adds to one config's environment; --requests, --warmup, --connections)
//
// `baseline` (uninstrumented) always runs. Prints a line per round, then medians with the spread
// (min–max) and, per round, baseline CPU / this config's CPU (the throughput ratio a CPU-bound app gets).

import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSink } from './sink.mjs';
import { APPS, APP_CORE, LOAD_CORE } from './lib/apps.mjs';
import { otelEnv } from './lib/configs.mjs';
import { startPinned } from './lib/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    app: { type: 'string', default: 'express' },
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '8' },
    checkout: { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
  },
});

const app = APPS[flags.app];
if (app === undefined) throw new Error(`unknown app ${flags.app}`);
const node = process.execPath;
const script = join(here, 'apps', app.script);
// Each config's command runs lib/request-loop.cjs (which loads the app): plain node, or under a checkout's launcher.
const configs = [{ name: 'baseline', command: [node], env: {} }];
for (const spec of flags.checkout) {
  const [name, dir] = spec.includes('=') ? spec.split('=') : [spec, spec];
  // The same checkout may run under several names (with different --env).
  configs.push({ name, command: [node, join(resolve(dir), 'bin', 'otel-instrument'), node], env: {} });
}
// --env name:KEY=VALUE adds to one config's environment (to split a cost: a signal's exporter off, say).
for (const spec of flags.env) {
  const colon = spec.indexOf(':');
  const [key, ...value] = spec.slice(colon + 1).split('=');
  configs.find((c) => c.name === spec.slice(0, colon)).env[key] = value.join('=');
}

let nextPort = 18600 + Math.floor(Math.random() * 300);

/** One run: the app and its driver in one process (lib/request-loop.cjs), pinned to the app core. */
function round(config, env) {
  const port = nextPort++;
  const loop = [join(here, 'lib', 'request-loop.cjs'), script, app.path, flags.warmup, flags.requests, flags.connections];
  const command = [...config.command, ...loop];
  return new Promise((resolvePromise, reject) => {
    const child = spawn('taskset', ['-c', String(APP_CORE), ...command], { env: { ...env, ...config.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('{"cpuUsPerRequest"'));
      if (line === undefined) reject(new Error(`${config.name} exited ${code} without a result:\n${stderr}`));
      else resolvePromise(JSON.parse(line));
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const downstreamPort = 18500 + Math.floor(Math.random() * 90);
const sink = await startSink();
const downstream = startPinned(LOAD_CORE, node, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: String(downstreamPort) });
await downstream.ready;
const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: String(downstreamPort) };
const results = Object.fromEntries(configs.map((c) => [c.name, []]));
// Per round, each config's CPU per request over the baseline's of the same round: the machine's load
// moves both alike.
const ratios = Object.fromEntries(configs.map((c) => [c.name, []]));
try {
  const rounds = Number(flags.rounds);
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so no config always runs first.
    const order = configs.map((_, i) => configs[(i + r) % configs.length]);
    const thisRound = {};
    for (const config of order) {
      const result = await round(config, env);
      thisRound[config.name] = result.cpuUsPerRequest;
      results[config.name].push(result.cpuUsPerRequest);
      console.log(`round ${r + 1}/${rounds} ${config.name.padEnd(10)} ${result.cpuUsPerRequest.toFixed(1).padStart(7)} µs/request  (${result.requests} requests in ${result.wallMs.toFixed(0)} ms)`);
    }
    for (const name of Object.keys(thisRound)) ratios[name].push(thisRound.baseline / thisRound[name]);
  }
} finally {
  await downstream.stop();
  await sink.close?.();
}
const spread = (list, digits) => `${median(list).toFixed(digits)} (${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)})`;
console.log(`\n${flags.app}: CPU µs per request (the app and its driver in one process), median (min–max) over ${flags.rounds} rounds`);
const base = median(results.baseline);
for (const [name, list] of Object.entries(results)) {
  const added = name === 'baseline' ? '' : `  added ${(median(list) - base).toFixed(1)}  baseline/this per round ${spread(ratios[name], 3)}`;
  console.log(`${name.padEnd(10)} ${spread(list, 1)}${added}`);
}
process.exit(0);
