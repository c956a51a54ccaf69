// An express app under sustained load for several minutes while the collector
// flaps: it answers, then refuses (gRPC UNAVAILABLE), then is gone (connection refused), in cycles.
// Throughput must stay within the benchmark's bounds of the uninstrumented app, RSS must stay flat,
// what is exported once the collector is back must arrive, and no span id may be accepted twice (a batch
// sent by two processes, or again after the collector took it). Run by .ci/run after `npm test`
// (it takes minutes, so it is not part of it): node dist/test/load/flapping-collector.js [seconds]
// Needs wrk and taskset; the app runs on core 0, wrk on core 1.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { GrpcReceiver, type SpanIdTally } from '../support/otlp-receiver.js';
import { CLI, ROOT } from '../support/run-cli.js';

const TOTAL_S = Number(process.argv[2] ?? 180);
const WINDOW_S = 10;
const APP = join(ROOT, 'bench', 'apps', 'express-app.js');
const URL_PATH = '/api/users/42';
/** The collector's cycle: seconds answering, refusing, gone. */
const CYCLE: readonly { state: 'up' | 'unavailable' | 'down'; seconds: number }[] = [
  { state: 'up', seconds: 20 },
  { state: 'unavailable', seconds: 10 },
  { state: 'down', seconds: 10 },
];
// Bounds: the benchmark has the instrumented express app at ~0.65x of the plain one on this kind of
// machine; a window may dip (shared CI machines are noisy) but the run as a whole must not.
const MIN_MEDIAN_RATIO = 0.5;
const MIN_WINDOW_RATIO = 0.3;
const MAX_RSS_GROWTH_MB = 25;

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every process started (and the app under the launcher), killed however this script ends: a failed run must not leave apps behind. */
const children = new Set<ChildProcess>();
const orphans = new Set<number>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function startOn(core: number, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('taskset', ['-c', String(core), command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${String(code)} before it was ready`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One wrk window against the app: req/s; throws on any non-2xx answer or socket error. */
async function window(port: number): Promise<number> {
  const wrk = spawn('taskset', ['-c', '1', 'wrk', '-t1', '-c20', `-d${WINDOW_S}s`, `http://127.0.0.1:${port}${URL_PATH}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  wrk.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise((resolve) => wrk.on('close', resolve));
  if (code !== 0) throw new Error(`wrk exited ${String(code)}`);
  const bad = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out) ?? /Socket errors: (.*)/.exec(out);
  if (bad) throw new Error(`the app failed requests under load: ${bad[0]}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
}

/** The app process: the launcher's child (or the process itself when not launched). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function childPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  if (children.length !== 1 || !(children[0]! > 0)) throw new Error(`expected one app process under the launcher, found ${children.join(',')}`);
  return children[0]!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  // This process (receiver, decoding with the official schema) shares core 1 with wrk, as the bench's sink does.
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const downstreamPort = await freePort();
  const downstream = startOn(1, process.execPath, [join(ROOT, 'bench', 'apps', 'downstream.js')], { PORT: String(downstreamPort) });
  await ready(downstream);
  const appEnv = { DOWNSTREAM_PORT: String(downstreamPort) };

  // The uninstrumented app: warm-up, then three windows.
  const plainPort = await freePort();
  const plain = startOn(0, process.execPath, [APP], { ...appEnv, PORT: String(plainPort) });
  await ready(plain);
  await window(plainPort);
  const baseline = median([await window(plainPort), await window(plainPort), await window(plainPort)]);
  const plainRss = rssMb(plain.pid!);
  await stop(plain);
  console.log(`uninstrumented: ${baseline.toFixed(0)} req/s, RSS ${plainRss.toFixed(1)} MB`);

  // The instrumented app against a flapping collector.
  const collectorPort = await freePort();
  // One tally across the restarts: a span the collector took before an outage must not come again after it.
  const spanIds: SpanIdTally = { seen: new Set(), duplicates: 0 };
  const startReceiver = () => GrpcReceiver.start({ port: collectorPort, keep: false, spanIds });
  let receiver: GrpcReceiver | undefined = await startReceiver();
  let arrivedBefore = 0; // spans counted by receivers closed in the outages
  const appPort = await freePort();
  const app = startOn(0, process.execPath, [CLI, 'node', APP], {
    ...appEnv,
    PORT: String(appPort),
    OTEL_SERVICE_NAME: 'flapping-load',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_METRIC_EXPORT_INTERVAL: '5000',
  });
  await ready(app);
  const appPid = childPid(app.pid!);
  orphans.add(appPid);

  let state: 'up' | 'unavailable' | 'down' = 'up';
  const setState = async (next: typeof state): Promise<void> => {
    if (next === state) return;
    if (state === 'down') receiver = await startReceiver();
    if (state === 'unavailable') receiver!.answerOtherwise();
    if (next === 'unavailable') receiver!.answerOtherwise({ grpcCode: 14, message: 'flapping' });
    if (next === 'down') {
      arrivedBefore += receiver!.received.traces;
      await receiver!.close();
      receiver = undefined;
    }
    state = next;
  };
  let flapping = true;
  const flapper = (async () => {
    for (let i = 0; flapping; i = (i + 1) % CYCLE.length) {
      await setState(CYCLE[i]!.state);
      const until = Date.now() + CYCLE[i]!.seconds * 1000;
      while (flapping && Date.now() < until) await wait(200);
    }
  })();

  const rows: { t: number; state: string; rps: number; rss: number }[] = [];
  const started = Date.now();
  while (Date.now() - started < TOTAL_S * 1000) {
    const from = state;
    const rps = await window(appPort);
    rows.push({ t: Math.round((Date.now() - started) / 1000), state: from === state ? from : `${from}>${state}`, rps, rss: rssMb(appPid) });
    const row = rows.at(-1)!;
    console.log(`t=${String(row.t).padStart(4)} s  collector ${row.state.padEnd(23)} ${row.rps.toFixed(0).padStart(6)} req/s  ${(row.rps / baseline).toFixed(2)}x  RSS ${row.rss.toFixed(1)} MB`);
  }
  flapping = false;
  await flapper;
  await setState('up');
  // What the app exports once the collector is back must arrive.
  const before = receiver!.received.traces;
  await window(appPort);
  await wait(7000);
  const arrived = receiver!.received.traces - before;
  const total = arrivedBefore + receiver!.received.traces;
  await stop(app);
  await receiver!.close();
  await stop(downstream);

  const ratios = rows.map((r) => r.rps / baseline);
  const settled = rows.filter((r) => r.t >= 60);
  const rssGrowth = settled.length > 1 ? Math.max(...settled.map((r) => r.rss)) - settled[0]!.rss : 0;
  console.log(
    `\nsummary: ${rows.length} windows of ${WINDOW_S} s; req/s vs uninstrumented: median ${median(ratios).toFixed(2)}x, lowest ${Math.min(...ratios).toFixed(2)}x; ` +
      `RSS ${rows[0]!.rss.toFixed(1)} MB after the first window, ${rows.at(-1)!.rss.toFixed(1)} MB at the end (+${rssGrowth.toFixed(1)} MB after the first minute, uninstrumented ${plainRss.toFixed(1)} MB); ` +
      `${total} spans received in all, ${arrived} of them in the last window after the outages; ` +
      `${spanIds.seen.size} distinct span ids accepted, ${spanIds.duplicates} accepted more than once`,
  );
  const failures: string[] = [];
  if (median(ratios) < MIN_MEDIAN_RATIO) failures.push(`median throughput ${median(ratios).toFixed(2)}x is below ${MIN_MEDIAN_RATIO}x`);
  if (Math.min(...ratios) < MIN_WINDOW_RATIO) failures.push(`a window fell to ${Math.min(...ratios).toFixed(2)}x (bound ${MIN_WINDOW_RATIO}x)`);
  if (rssGrowth > MAX_RSS_GROWTH_MB) failures.push(`RSS grew ${rssGrowth.toFixed(1)} MB after the first minute (bound ${MAX_RSS_GROWTH_MB} MB)`);
  if (arrived === 0) failures.push('nothing arrived once the collector was back');
  if (spanIds.duplicates > 0) failures.push(`${spanIds.duplicates} span ids were accepted more than once`);
  if (failures.length > 0) {
    console.error(`FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('ok');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
