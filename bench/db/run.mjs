// Database benchmark: one driver's operation in a loop on a real server, inside an active span, 100%
// sampled, exporting to the local OTLP sink; uninstrumented vs otel-instrument (and the official
// instrumentation of that driver when bench/official is installed, as `npm run bench` does), in
// interleaved rounds, median operations/s. The server, the app and the sink share this machine's cores.
// Run after `npm run build`:
//   node bench/db/run.mjs <pg|mysql2|redis|ioredis> [rounds=5] [ms-per-round=3000]
// OTEL_TEST_POSTGRES_URL / OTEL_TEST_MYSQL_URL / OTEL_TEST_REDIS_URL name a running server; else a
// throwaway one is started from Debian's postgresql, mariadb-server or redis-server.

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
const APP = join(here, 'loop-app.cjs');
const OFFICIAL = join(root, 'bench', 'official', 'node_modules', '@opentelemetry', 'auto-instrumentations-node', 'build', 'src', 'register.js');
const servers = join(root, 'dist', 'test', 'support', 'servers');

/** Per driver: its server, what the loop does, and the official instrumentation's name. */
const DRIVERS = {
  pg: { start: () => require(join(servers, 'postgres.js')).startPostgres(), op: "pool.query('SELECT $1::int', [1])", official: 'pg' },
  mysql2: { start: () => require(join(servers, 'mariadb.js')).startMariaDb(), op: "pool.query('SELECT ?', [1])", official: 'mysql2' },
  redis: { start: () => require(join(servers, 'redis.js')).startRedis(), op: 'node-redis SET/GET', official: 'redis' },
  ioredis: { start: () => require(join(servers, 'redis.js')).startRedis(), op: 'ioredis SET/GET', official: 'ioredis' },
};

const [driverName = 'pg', roundsArg, msArg] = process.argv.slice(2);
const driver = DRIVERS[driverName];
if (driver === undefined) {
  console.error(`usage: node bench/db/run.mjs <${Object.keys(DRIVERS).join('|')}> [rounds] [ms-per-round]`);
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const roundMs = Number(msArg ?? 3000);

function runApp(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"ops"'));
      if (code !== 0 || line === undefined) reject(new Error(`${args.join(' ')} exited ${code}: ${out}`));
      else resolve(JSON.parse(line).ops);
    });
  });
}

const db = await driver.start();
const sink = await startSink();
try {
  const common = { DRIVER: driverName, DB_URL: db.url, DURATION_MS: String(roundMs) };
  const configs = {
    uninstrumented: () => runApp([APP], common),
    'otel-instrument': () => runApp([join(root, 'bin', 'otel-instrument'), 'node', APP], { ...common, ...otelEnv(sink.port) }),
  };
  if (existsSync(OFFICIAL)) {
    configs[`official (instrumentation-${driver.official})`] = () =>
      runApp(['--require', OFFICIAL, APP], { ...common, ...otelEnv(sink.port), OTEL_NODE_ENABLED_INSTRUMENTATIONS: driver.official });
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
  console.log(`${driverName}: ${driver.op}, ${rounds} rounds of ${roundMs} ms, Node ${process.version}`);
  console.log('| config | median ops/s | vs uninstrumented | min | max |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, values] of Object.entries(results)) {
    const m = median(values);
    console.log(`| ${name} | ${Math.round(m)} | ${(m / base).toFixed(2)}x | ${Math.round(Math.min(...values))} | ${Math.round(Math.max(...values))} |`);
  }
} finally {
  await sink.close();
  await db.stop();
}
