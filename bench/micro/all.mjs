// Runs every microbenchmark of the hot pieces, one process each, pinned to core 0 when taskset
// exists:  node bench/micro/all.mjs [trials=7] [ms-per-trial=1000]
// Our code is read from dist/: build first with `npx tsc -p tsconfig.json`.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const trials = process.argv[2] ?? '7';
const trialMs = process.argv[3] ?? '1000';
// metrics-record counts operations per trial instead of milliseconds: ~2M ops is about a second.
const recordOps = String(Number(trialMs) * 2000);

const BENCHES = [
  ['span start/end with 8 attributes', 'span.mjs', [trials, trialMs]],
  ['context propagation through AsyncLocalStorage', 'context.mjs', [trials, trialMs]],
  ['traceparent inject/extract', 'propagation.mjs', [trials, trialMs]],
  ['counter add / histogram record', 'metrics-record.mjs', [trials, recordOps]],
  ['protobuf (and JSON) encode of a 512-span batch', 'encode-trace.mjs', [trials, trialMs]],
  ['SQL db.query.text + summary of a 2 KB query', 'sql-query.mjs', [trials, trialMs]],
  // Processes of its own (the app per run, the sink): CPU time per span, not a timing loop.
  ['whole span pipeline: CLIENT span + histogram, batch queue, OTLP export to a sink', 'span-pipeline.mjs', ['--rounds', '3']],
];

if (!existsSync(fileURLToPath(new URL('../../dist/src/trace/tracer.js', import.meta.url)))) {
  console.error('dist/ is missing: run `npx tsc -p tsconfig.json` first');
  process.exit(1);
}
const pin = spawnSync('sh', ['-c', 'command -v taskset']).status === 0 ? ['taskset', '-c', '0'] : [];
let failed = 0;
for (const [title, file, args] of BENCHES) {
  console.log(`\n=== ${title} (bench/micro/${file})`);
  const command = [...pin, process.execPath, fileURLToPath(new URL(file, import.meta.url)), ...args];
  const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} microbenchmark(s) failed`);
  process.exitCode = 1;
}
