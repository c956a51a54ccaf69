// `npm run bench`: the same app uninstrumented and under otel-instrument (all signals on, 100%
// sampled, OTLP gRPC to a local sink), in interleaved rounds; app on core 0, wrk on core 1.
// Prints medians and ratios and writes them to bench/results/latest.md.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSink } from './sink.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = process.env.BENCH_DURATION ?? '10s';
const CONNECTIONS = process.env.BENCH_CONNECTIONS ?? '50';

const configs = {
  baseline: (app) => ['node', [app]],
  'otel-instrument': (app) => ['node', [join(root, 'bin', 'otel-instrument'), 'node', app]],
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(text);
  const scale = { us: 0.001, ms: 1, s: 1000 }[p99[2]];
  return { rps, p99Ms: Number(p99[1]) * scale };
}

function rssKb(pid) {
  // The app is the deepest node process under the launcher.
  let target = pid;
  for (;;) {
    let children = [];
    try {
      children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(target)]).toString().trim().split('\n').filter(Boolean);
    } catch {
      // ps exits 1 when there is no child.
    }
    if (children.length === 0) break;
    target = Number(children[0]);
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(target)]).toString().trim());
}

function wrk(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', 'wrk', '-t1', `-c${CONNECTIONS}`, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}`))));
  });
}

async function loadRound(name, app, sinkPort, port) {
  const [command, args] = configs[name](app);
  const child = spawn('taskset', ['-c', '0', command, ...args], {
    env: { ...process.env, PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_SERVICE_NAME: 'bench' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    await new Promise((resolve) => child.stdout.on('data', (d) => d.toString().includes('ready') && resolve()));
    // wrk runs as its own process (async), so this process's sink keeps answering exports meanwhile.
    await wrk(['-d3s', `http://127.0.0.1:${port}/`]);
    const out = await wrk([`-d${DURATION}`, '--latency', `http://127.0.0.1:${port}/`]);
    return { ...parseWrk(out), rssMb: rssKb(child.pid) / 1024 };
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
}

function startupMs(name, script) {
  const [command, args] = configs[name](script);
  const json = join(here, 'results', 'tmp', `startup-${name}.json`);
  execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', '20', '--export-json', json, [command, ...args].join(' ')], {
    env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
    stdio: 'ignore',
  });
  return median(JSON.parse(execFileSync('cat', [json]).toString()).results[0].times) * 1000;
}

async function main() {
  mkdirSync(join(here, 'results', 'tmp'), { recursive: true });
  const sink = await startSink();
  const app = join(here, 'apps', 'http-hello.js');
  const results = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(configs)) {
      const r = await loadRound(name, app, sink.port, 18080 + round * 10 + Object.keys(configs).indexOf(name));
      results[name].push(r);
      console.log(`round ${round + 1} ${name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(2)} ms, rss ${r.rssMb.toFixed(1)} MB`);
    }
  }
  const startup = Object.fromEntries(Object.keys(configs).map((name) => [name, startupMs(name, join(here, 'apps', 'require-express.js'))]));
  const base = results.baseline;
  const lines = ['| config | req/s (median) | ratio | p99 ms | p99 ratio | RSS MB | RSS delta | start-to-exit ms (require express) |', '|---|---|---|---|---|---|---|---|'];
  for (const name of Object.keys(configs)) {
    const rps = median(results[name].map((r) => r.rps));
    const p99 = median(results[name].map((r) => r.p99Ms));
    const rss = median(results[name].map((r) => r.rssMb));
    lines.push(`| ${name} | ${rps.toFixed(0)} | ${(rps / median(base.map((r) => r.rps))).toFixed(2)} | ${p99.toFixed(2)} | ${(p99 / median(base.map((r) => r.p99Ms))).toFixed(2)}x | ${rss.toFixed(1)} | ${(rss - median(base.map((r) => r.rssMb))).toFixed(1)} | ${startup[name].toFixed(0)} |`);
  }
  const table = lines.join('\n');
  console.log(`\nplain node:http hello, ${ROUNDS} interleaved rounds of ${DURATION}, wrk -c${CONNECTIONS}, sink got ${sink.stats().requests} exports\n${table}`);
  writeFileSync(join(here, 'results', 'latest.md'), `# Benchmark (${new Date().toISOString()}, node ${process.version})\n\nplain node:http hello world, ${ROUNDS} interleaved rounds of ${DURATION}, wrk -t1 -c${CONNECTIONS} pinned to core 1, app pinned to core 0, 100% sampled, OTLP gRPC to a local sink.\n\n${table}\n`);
  await sink.close();
}

await main();
