// The timing loop the encoder microbenchmarks share: warm up, then count whole batches for
// trialMs per trial, and report the median throughput over the trials with min and max.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function measureBatches({ name, fn, trials, trialMs, perBatch, unit, warmup = 20, width = 36 }) {
  for (let i = 0; i < warmup; i++) fn();
  const results = [];
  let bytes = 0;
  for (let t = 0; t < trials; t++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(trialMs) * 1_000_000n;
    let now = start;
    while (now < end) {
      bytes = fn().length;
      n++;
      now = process.hrtime.bigint();
    }
    results.push((n * perBatch) / (Number(now - start) / 1e9));
  }
  results.sort((a, b) => a - b);
  const median = results[Math.floor(results.length / 2)];
  const fmt = (value) => Math.round(value).toLocaleString('en-US');
  console.log(
    `${name.padEnd(width)} median ${fmt(median).padStart(10)} ${unit}/s` +
      `   (min ${fmt(results[0])}, max ${fmt(results[results.length - 1])}; ${bytes} bytes/batch)`,
  );
  return median;
}

/**
 * The per-operation variant: fn(n) performs n operations (sync, or returning a promise for async
 * paths), so the clock is read once per n ops. Reports the median ns/op over the trials.
 */
export async function measureOps({ name, fn, trials, trialMs, n = 1000, warmup = 50, width = 44 }) {
  for (let i = 0; i < warmup; i++) await fn(n);
  const results = [];
  for (let t = 0; t < trials; t++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(trialMs) * 1_000_000n;
    let now = start;
    while (now < end) {
      await fn(n);
      ops += n;
      now = process.hrtime.bigint();
    }
    results.push(Number(now - start) / ops);
  }
  results.sort((a, b) => a - b);
  const median = results[Math.floor(results.length / 2)];
  console.log(
    `${name.padEnd(width)} median ${median.toFixed(1).padStart(8)} ns/op` +
      `   (min ${results[0].toFixed(1)}, max ${results[results.length - 1].toFixed(1)})`,
  );
  return median;
}

/** Resolves a package from bench/official/node_modules, or undefined when that folder is not installed. */
export function officialRequire(createRequire, specifier) {
  try {
    return createRequire(new URL('../official/package.json', import.meta.url))(specifier);
  } catch {
    return undefined;
  }
}

/** True in the child process that runAllocationChild() starts (see measureAllocation). */
export function inAllocationChild() {
  return process.env.BENCH_ALLOCATION_CHILD === '1';
}

/** Re-runs `scriptUrl` with --expose-gc and a young generation big enough that no GC runs mid-measurement. */
export function runAllocationChild(scriptUrl) {
  const flags = ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256'];
  const env = { ...process.env, BENCH_ALLOCATION_CHILD: '1' };
  spawnSync(process.execPath, [...flags, fileURLToPath(scriptUrl)], { stdio: 'inherit', env });
}

/** Median over 5 trials of heap bytes (and ArrayBuffer bytes, e.g. the returned body) allocated per item. */
export function measureAllocation({ name, fn, batches, perBatch, unit, width }) {
  for (let i = 0; i < 20; i++) fn();
  const heap = [];
  const buffers = [];
  for (let t = 0; t < 5; t++) {
    global.gc();
    const before = process.memoryUsage();
    for (let i = 0; i < batches; i++) fn();
    const after = process.memoryUsage();
    heap.push((after.heapUsed - before.heapUsed) / (batches * perBatch));
    buffers.push((after.arrayBuffers - before.arrayBuffers) / (batches * perBatch));
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  console.log(`${name.padEnd(width)} heap ${median(heap).toFixed(0).padStart(6)} B/${unit}   ArrayBuffers ${median(buffers).toFixed(0).padStart(5)} B/${unit}`);
}
