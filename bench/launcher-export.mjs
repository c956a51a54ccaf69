// The launcher as the app's exporter (OTEL_NODE_EXPORT_VIA_LAUNCHER) against the present design, for the
// express bench app under wrk load exporting all three signals over gRPC to the bench sink: CPU time per
// request of the app process, of the launcher, and of both (/proc/<pid>/stat utime+stime over the same
// window), and the USS of both (smaps_rollup Private_*), in interleaved rounds. CPU per request, not
// req/s: on a shared machine wall-clock throughput is noise.
//   node bench/launcher-export.mjs [rounds=5] [seconds=5]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSink } from './sink.mjs';
import { otelEnv } from './lib/configs.mjs';
import { appPid, startPinned } from './lib/processes.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';
import { APP_CORE, LOAD_CORE } from './lib/apps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'bin', 'otel-instrument');
const APP = join(here, 'apps', 'express-app.js');
const ROUNDS = Number(process.argv[2] ?? 5);
const SECONDS = Number(process.argv[3] ?? 5);
const TICK_S = 0.01; // USER_HZ 100

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_S; // utime, stime (fields 14 and 15)
}

function ussMb(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)[1]);
  return (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const sink = await startSink();
const downstream = startPinned(LOAD_CORE, process.execPath, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: '18098' });
await downstream.ready;
const MODES = { present: 'false', 'via launcher': 'true' };
const rows = { present: [], 'via launcher': [] };

for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? Object.keys(MODES) : Object.keys(MODES).reverse();
  for (const mode of order) {
    const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: '18098', PORT: '18097', OTEL_NODE_EXPORT_VIA_LAUNCHER: MODES[mode] };
    const launcher = startPinned(APP_CORE, process.execPath, [CLI, 'node', APP], env);
    await launcher.ready;
    const app = appPid(launcher.child.pid);
    const url = 'http://127.0.0.1:18097/api/users/42';
    await wrk(LOAD_CORE, 20, '2s', url); // warm-up
    await new Promise((resolve) => setTimeout(resolve, 500));
    sink.take();
    const before = { app: cpuSeconds(app), launcher: cpuSeconds(launcher.child.pid) };
    const { requests } = parseWrk(await wrk(LOAD_CORE, 20, `${SECONDS}s`, url));
    // What the last batches cost is counted too: the queue's delay is 5 s at most, the export right after.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const after = { app: cpuSeconds(app), launcher: cpuSeconds(launcher.child.pid) };
    const uss = { app: ussMb(app), launcher: ussMb(launcher.child.pid) };
    const spans = sink.take().traces.items;
    await launcher.stop();
    const perRequest = (what) => ((after[what] - before[what]) / requests) * 1e6;
    const row = { requests, app: perRequest('app'), launcher: perRequest('launcher'), ussApp: uss.app, ussLauncher: uss.launcher, spansPerRequest: spans / requests };
    row.group = row.app + row.launcher;
    row.ussGroup = row.ussApp + row.ussLauncher;
    rows[mode].push(row);
    console.log(`round ${round + 1} ${mode.padEnd(12)} ${requests} requests; CPU µs/request app ${row.app.toFixed(0)}, launcher ${row.launcher.toFixed(0)}, group ${row.group.toFixed(0)}; USS app ${row.ussApp.toFixed(1)} MB, launcher ${row.ussLauncher.toFixed(1)} MB; spans/request ${row.spansPerRequest.toFixed(2)}`);
  }
}

console.log('\nmedians (min-max) over the rounds:');
for (const mode of Object.keys(MODES)) {
  const show = (key, digits = 0) => {
    const values = rows[mode].map((row) => row[key]);
    return `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)})`;
  };
  console.log(`${mode.padEnd(12)} CPU µs/request: app ${show('app')}, launcher ${show('launcher')}, group ${show('group')}; USS MB: app ${show('ussApp', 1)}, launcher ${show('ussLauncher', 1)}, group ${show('ussGroup', 1)}; spans/request ${show('spansPerRequest', 2)}`);
}
await downstream.stop();
await sink.close();
