// `npm run bench:profile`: where an instrumented request's extra time goes. Runs one fixture app
// uninstrumented and under otel-instrument (all signals to the local sink, as in `npm run bench`)
// with `node --cpu-prof` under the same wrk load, then prints CPU time per request by where it was
// spent (our folders, context propagation, GC, node internals, the app), the difference between
// the two, and our own costliest functions. Writes bench/results/profile-<app>.md (or --out).
//
//   npm run bench:profile -- --app express --rounds 3 --duration 10s --warmup 3s
//
// Rounds alternate the two configurations and their profiles are added up: one round's totals move
// by ±10% between runs, enough to halve or double a difference.
//
// The profiler slows everything down by roughly a third, so read the shares, not the absolute
// microseconds; `npm run bench` gives the real throughput.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSink } from './sink.mjs';
import { ensureReady } from './lib/setup.mjs';
import { APPS, APP_CORE, LOAD_CORE } from './lib/apps.mjs';
import { configCommands, otelEnv, versions } from './lib/configs.mjs';
import { startPinned } from './lib/processes.mjs';
import { parseWrk, wrk } from './lib/wrk.mjs';
import { ourFolder } from './lib/our-folders.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: flags } = parseArgs({
  options: { app: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' }, out: { type: 'string' } },
});
const APP = flags.app ?? 'express';
if (!(APP in APPS)) throw new Error(`unknown app "${APP}" (known: ${Object.keys(APPS).join(', ')})`);
const ROUNDS = Number(flags.rounds ?? 3);
const DURATION_S = Number.parseFloat(flags.duration ?? '10s');
const WARMUP = flags.warmup ?? '3s';
const OUT = resolve(flags.out ?? join(here, 'results', `profile-${APP}.md`));

/** Where a profile node's self time is counted. Order matters: the first match wins. */
function groupOf(callFrame) {
  const { functionName, url } = callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName.startsWith('(')) return functionName; // (program), (idle), (root)
  if (url === '') return 'native code called from JS (syscalls, parsers, writev)';
  // The bundled preload is one file: the line says which of our folders a function comes from.
  const ours = ourFolder(url, callFrame.lineNumber + 1);
  if (ours !== undefined) return `otel-instrument: ${ours}`;
  if (/async_hooks|async_context_frame|async_local_storage/.test(url)) return 'node: async_hooks (AsyncLocalStorage propagation)';
  if (url.includes('/node_modules/')) return `package: ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)[1]}`;
  if (url.startsWith('node:')) return 'node: http, net, streams, events, timers and the rest';
  return 'app code';
}

/** Adds the self time in µs per group and per function, over the profile's last `windowS` seconds, to `into`. */
function addSelfTimes(into, file, windowS) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Array(profile.samples.length);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) times[i] = t += profile.timeDeltas[i];
  // The app stops right after the measured run: its last `windowS` seconds are the measured ones.
  const from = profile.endTime - windowS * 1e6;
  const { byGroup, byFunction } = into;
  for (let i = 1; i < profile.samples.length; i++) {
    if (times[i] < from) continue;
    const frame = nodes.get(profile.samples[i]).callFrame;
    const us = times[i] - times[i - 1];
    const group = groupOf(frame);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
    if (group.startsWith('otel-instrument')) {
      const name = `${frame.functionName || '(anonymous)'} (${frame.url.replace(/.*\/dist\//, '')}:${frame.lineNumber + 1})`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    }
  }
}

async function profiledRun(name, command, args, env, dir) {
  const port = 18150 + (name === 'baseline' ? 0 : 1);
  // Node writes the profile only on a normal exit: the preload turns SIGTERM into one.
  const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--require', join(here, 'lib', 'exit-on-sigterm.cjs')];
  const script = args.at(-1);
  const app = startPinned(APP_CORE, command, [...args.slice(0, -1), ...nodeFlags, script], { ...env, PORT: String(port) });
  try {
    await app.ready;
    const url = `http://127.0.0.1:${port}${APPS[APP].path}`;
    await wrk(LOAD_CORE, 50, WARMUP, url, false);
    const measured = parseWrk(await wrk(LOAD_CORE, 50, `${DURATION_S}s`, url, false));
    return measured.requests;
  } finally {
    await app.stop(10_000);
  }
}

function table(base, ours, baseReqs, oursReqs) {
  const groups = new Set([...base.byGroup.keys(), ...ours.byGroup.keys()]);
  groups.delete('(idle)');
  groups.delete('(root)');
  const rows = [...groups].map((group) => {
    const b = (base.byGroup.get(group) ?? 0) / baseReqs;
    const o = (ours.byGroup.get(group) ?? 0) / oursReqs;
    return { group, b, o, added: o - b };
  });
  rows.sort((x, y) => y.added - x.added);
  const totalB = rows.reduce((s, r) => s + r.b, 0);
  const totalO = rows.reduce((s, r) => s + r.o, 0);
  const added = totalO - totalB;
  const lines = ['| where | baseline µs/request | otel-instrument µs/request | added | share of added |', '|---|--:|--:|--:|--:|'];
  for (const r of rows) {
    if (Math.abs(r.added) < 0.05 && r.o < 0.5) continue;
    lines.push(`| ${r.group} | ${r.b.toFixed(2)} | ${r.o.toFixed(2)} | ${r.added >= 0 ? '+' : ''}${r.added.toFixed(2)} | ${((100 * r.added) / added).toFixed(1)}% |`);
  }
  lines.push(`| **total CPU** | **${totalB.toFixed(1)}** | **${totalO.toFixed(1)}** | **+${added.toFixed(1)}** | 100% |`);
  return lines.join('\n');
}

function ourFunctions(ours, oursReqs, top = 20) {
  const rows = [...ours.byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  const total = [...ours.byFunction.values()].reduce((s, us) => s + us, 0) / oursReqs;
  const lines = [`Our own code: ${total.toFixed(1)} µs/request in all; the ${top} costliest functions (self time, inlined callees included):`, '', '| function | µs/request |', '|---|--:|'];
  for (const [name, us] of rows) lines.push(`| \`${name}\` | ${(us / oursReqs).toFixed(2)} |`);
  return lines.join('\n');
}

async function main() {
  ensureReady(root);
  APPS[APP].prepare?.(root);
  const commands = configCommands(root);
  const sink = await startSink();
  const downstream = startPinned(LOAD_CORE, process.execPath, [join(here, 'apps', 'downstream.js')], { ...process.env, PORT: '18099' });
  await downstream.ready;
  const env = { ...process.env, ...otelEnv(sink.port), DOWNSTREAM_PORT: '18099' };
  const names = ['baseline', 'otel-instrument'];
  const totals = Object.fromEntries(names.map((name) => [name, { byGroup: new Map(), byFunction: new Map(), requests: 0 }]));
  // The launcher itself is a node process too: the app's profile is the largest one.
  const appProfile = (dir) =>
    readdirSync(dir)
      .map((f) => join(dir, f))
      .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        const dir = mkdtempSync(join(tmpdir(), `otel-bench-prof-${name}-`));
        try {
          const [command, args] = commands[name](join(here, 'apps', APPS[APP].script));
          const requests = await profiledRun(name, command, args, env, dir);
          addSelfTimes(totals[name], appProfile(dir), DURATION_S);
          totals[name].requests += requests;
          console.log(`round ${round + 1}/${ROUNDS} ${name}: ${(requests / DURATION_S).toFixed(0)} req/s under the profiler`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await downstream.stop();
    await sink.close?.();
  }
  const base = totals.baseline;
  const ours = totals['otel-instrument'];
  const ratio = (ours.requests / base.requests).toFixed(2);

  const compared = versions(root);
  const body =
    `# Where the time goes: ${APP} (${new Date().toISOString()}, node ${process.version}, otel-instrument at ${compared.ours})\n\n` +
    `\`node --cpu-prof\` self time over the last ${DURATION_S}s of wrk -c50 load (after a ${WARMUP} warmup), per request served in that window, ${ROUNDS} alternating rounds added up. ` +
    `App on core ${APP_CORE}; wrk, the downstream server and the sink on core ${LOAD_CORE}; all signals exported over OTLP gRPC. ` +
    `The profiler slows both runs; read the shares. Idle time is left out.\n\n` +
    `otel-instrument served ${ratio}x the baseline's requests under the profiler.\n\n` +
    `${table(base, ours, base.requests, ours.requests)}\n\n${ourFunctions(ours, ours.requests)}\n`;
  console.log(`\n${body}`);
  writeFileSync(OUT, body);
  console.log(`written to ${relative(root, OUT)}`);
}

await main();
process.exit(process.exitCode ?? 0);
