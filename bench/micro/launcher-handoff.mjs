// Microbenchmark: what a batch costs the APP process on its way out, the one part the two designs do
// differently (encoding is the same): sent to the collector by the app's own exporter (gRPC transport,
// retries, outage observer: createOtlpRequestExporter, the app's stack minus encoding) vs handed to the
// launcher in one non-blocking write (OTEL_NODE_EXPORT_VIA_LAUNCHER, src/exit/app-live-handoff.ts).
// Each trial is a child process sending BATCHES requests of BODY_KB one after the other, 5 ms apart (one
// in flight, as the batch queue does); its process.cpuUsage() per batch is reported. The sink and the reader of
// the handoff socket run in this process, outside the measurement. Interleaved trials; medians.
// Run after `npx tsc -p tsconfig.json`:  node bench/micro/launcher-handoff.mjs [trials=7] [batches=400] [body-kb=150]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startSink } from '../sink.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const inChild = process.argv[2] === 'child';
const [trialsArg, batchesArg, kbArg] = inChild ? [] : process.argv.slice(2);
const TRIALS = Number(trialsArg ?? 7);
const BATCHES = Number(inChild ? process.env.BENCH_BATCHES : batchesArg ?? 400);
const BODY = Buffer.alloc(Number(inChild ? process.env.BENCH_BODY_KB : kbArg ?? 150) * 1024, 7);

async function child(mode) {
  const config = { protocol: 'grpc', url: process.env.SINK_URL, headers: {}, compression: 'none', timeoutMs: 10000, insecure: true, certificateFile: undefined, clientKeyFile: undefined, clientCertificateFile: undefined };
  let send;
  if (mode === 'grpc') {
    const { createOtlpRequestExporter } = require('../../dist/src/export/otlp/otlp-exporter.js');
    const exporter = createOtlpRequestExporter('traces', config);
    send = (done) => exporter.export([{ body: BODY, items: 512 }], done);
  } else {
    const { liveHandoff } = require('../../dist/src/exit/app-live-handoff.js');
    const live = liveHandoff();
    if (live === undefined) throw new Error('no handoff');
    send = (done) => {
      const result = live.hand({ signal: 'traces', config, body: BODY, live: { items: 512 } });
      process.nextTick(done, { ok: result === 'handed' });
    };
  }
  // Warm-up: connections, JIT.
  for (let i = 0; i < 20; i++) await new Promise((resolve) => send(resolve));
  const before = process.cpuUsage();
  let failed = 0;
  for (let i = 0; i < BATCHES; i++) {
    const result = await new Promise((resolve) => send(resolve));
    if (!result.ok) failed++;
    // Batches come apart in an app (a full batch, or the schedule delay): the reader keeps up, as a launcher does.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const used = process.cpuUsage(before);
  process.stdout.write(JSON.stringify({ usPerBatch: (used.user + used.system) / BATCHES, failed }) + '\n');
  process.exit(0);
}

function trial(mode, sinkUrl) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [self, 'child', mode], {
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
      env: { ...process.env, BENCH_BATCHES: String(BATCHES), BENCH_BODY_KB: String(BODY.length / 1024), SINK_URL: sinkUrl, OTEL_INSTRUMENT_HANDOFF_FD: '3', OTEL_INSTRUMENT_LAUNCHER_PID: String(process.pid), OTEL_NODE_EXPORT_VIA_LAUNCHER: 'true' },
    });
    proc.stdio[3].on('data', () => undefined); // the launcher's read, outside the measurement
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

if (inChild) await child(process.argv[3]);
else {
  const sink = await startSink();
  const url = `http://127.0.0.1:${sink.port}`;
  const results = { grpc: [], handoff: [] };
  for (let i = 0; i < TRIALS; i++) {
    for (const mode of i % 2 === 0 ? ['grpc', 'handoff'] : ['handoff', 'grpc']) {
      const r = await trial(mode, url);
      results[mode].push(r.usPerBatch);
      if (r.failed > 0) console.log(`${mode}: ${r.failed} failed`);
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  for (const [mode, values] of Object.entries(results)) {
    console.log(`${mode.padEnd(8)} app CPU per ${BODY.length / 1024} KB batch: median ${median(values).toFixed(0)} µs (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}) over ${values.length} trials`);
  }
  await sink.close();
}
