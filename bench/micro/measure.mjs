// The timing loop the encoder microbenchmarks share: warm up, then count whole batches for
// trialMs per trial, and report the median throughput over the trials with min and max.

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
