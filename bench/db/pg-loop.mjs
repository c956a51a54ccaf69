// Database benchmark, pg: a loop of pool.query('SELECT $1::int', [1]) on a real PostgreSQL inside an
// active span, 100% sampled, exporting to the local OTLP sink; uninstrumented vs otel-instrument (and
// the official instrumentation when bench/official has @opentelemetry/auto-instrumentations-node
// installed), interleaved rounds, median queries/s.
// Run after `npm run build`:  node bench/db/pg-loop.mjs [rounds=5] [ms-per-round=3000]
// OTEL_TEST_POSTGRES_URL names a running server; else a throwaway PostgreSQL is started (needs postgresql).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { otelEnv } from '../lib/configs.mjs';
import { startSink } from '../sink.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rounds = Number(process.argv[2] ?? 5);
const roundMs = Number(process.argv[3] ?? 3000);
const APP = join(here, 'pg-loop-app.cjs');
const OFFICIAL = join(root, 'bench', 'official', 'node_modules', '@opentelemetry', 'auto-instrumentations-node', 'build', 'src', 'register.js');

const { startPostgres } = require('../../dist/test/support/servers/postgres.js');

function runApp(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"qps"'));
      if (code !== 0 || line === undefined) reject(new Error(`${args.join(' ')} exited ${code}: ${out}`));
      else resolve(JSON.parse(line).qps);
    });
  });
}

const db = await startPostgres();
const sink = await startSink();
try {
  const common = { POSTGRES_URL: db.url, DURATION_MS: String(roundMs) };
  const configs = {
    uninstrumented: () => runApp([APP], common),
    'otel-instrument': () => runApp([join(root, 'bin', 'otel-instrument'), 'node', APP], { ...common, ...otelEnv(sink.port) }),
  };
  if (existsSync(OFFICIAL)) {
    configs['official (instrumentation-pg)'] = () =>
      runApp(['--require', OFFICIAL, APP], { ...common, ...otelEnv(sink.port), OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg' });
  }
  const results = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(configs)) {
      sink.take();
      results[name].push(await run());
      const exported = sink.take().traces.items;
      if (name !== 'uninstrumented' && exported === 0) throw new Error(`${name} exported no spans`);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const base = median(results.uninstrumented);
  console.log(`pg pool.query('SELECT $1::int', [1]), ${rounds} rounds of ${roundMs} ms, Node ${process.version}`);
  console.log('| config | median queries/s | vs uninstrumented | min | max |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, values] of Object.entries(results)) {
    const m = median(values);
    console.log(`| ${name} | ${Math.round(m)} | ${(m / base).toFixed(2)}x | ${Math.round(Math.min(...values))} | ${Math.round(Math.max(...values))} |`);
  }
} finally {
  await sink.close();
  await db.stop();
}
