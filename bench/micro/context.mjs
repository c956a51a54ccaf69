// Microbenchmark: context propagation through AsyncLocalStorage. Per op: make a context with one
// value, run an async function in it (context.with), and read the value back after each of three
// awaits. Ours (dist ALS manager + linked Context) vs the official AsyncLocalStorageContextManager
// + API ROOT_CONTEXT, vs no context at all (the await chain alone).
// Each variant runs in its own process: once any ALS is used, Node 20 turns on promise hooks for
// the whole process, which would slow every later variant.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/context.mjs [trials=7] [ms-per-trial=1000]

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { measureOps, officialRequire } from './measure.mjs';

const trials = Number(process.argv[2] ?? 7);
const trialMs = Number(process.argv[3] ?? 1000);
const variant = process.argv[4];
const VARIANTS = ['no context', 'ours', 'official'];

async function step(n) {
  await null;
  return n + 1;
}

function variantSetup(name) {
  const require = createRequire(import.meta.url);
  if (name === 'ours') {
    const { contextManager } = require('../../dist/src/context/als-context-manager.js');
    const { ROOT_CONTEXT } = require('../../dist/src/context/context.js');
    return { manager: contextManager, root: ROOT_CONTEXT };
  }
  if (name === 'official') {
    const hooks = officialRequire(createRequire, '@opentelemetry/context-async-hooks');
    const api = officialRequire(createRequire, '@opentelemetry/api');
    if (!hooks || !api) return undefined;
    return { manager: new hooks.AsyncLocalStorageContextManager().enable(), root: api.ROOT_CONTEXT };
  }
  return { manager: undefined, root: undefined };
}

async function runVariant(name) {
  const setup = variantSetup(name);
  if (setup === undefined) {
    console.log(`${name}: bench/official not installed, skipped`);
    return;
  }
  const { manager, root } = setup;
  const KEY = Symbol('bench.request');
  let checked = 0;
  async function handler(i) {
    let v = await step(i);
    if (manager) checked += manager.active().getValue(KEY) === i ? 1 : 0;
    v = await step(v);
    if (manager) checked += manager.active().getValue(KEY) === i ? 1 : 0;
    v = await step(v);
    if (manager) checked += manager.active().getValue(KEY) === i ? 1 : 0;
    return v;
  }
  const fn = manager
    ? async (n) => {
        for (let i = 0; i < n; i++) await manager.with(root.setValue(KEY, i), handler, undefined, i);
      }
    : async (n) => {
        for (let i = 0; i < n; i++) await handler(i);
      };
  await measureOps({ name: manager ? `${name}: with + 3 awaits + 3 reads` : `${name}: 3 awaits only`, fn, trials, trialMs, n: 200, width: 52 });
  if (manager && checked === 0) throw new Error(`${name}: context was lost across awaits`);
}

if (variant !== undefined) await runVariant(variant);
else {
  console.log(`node ${process.version}, ${trials} trials x ${trialMs} ms, one process per variant\n`);
  for (const name of VARIANTS) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), String(trials), String(trialMs), name], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
