// The operation benchmarks, for `npm run bench` and bench/{db,grpc,genai,aws,amqplib,socket.io}/run.mjs: one driver's
// operation in a loop (bench/db/loop-app.cjs on a real database server; bench/grpc/loop-app.cjs for gRPC,
// whose server is in the app itself), inside an active span, 100% sampled, exporting to the local OTLP
// sink; uninstrumented vs otel-instrument vs the official instrumentation of that driver (when
// bench/official is installed), in interleaved rounds, median operations/s. The app runs pinned to one
// core, the server and the sink (in this process) to the other, as the http benchmarks pin an app and
// its load: the app's numbers then do not depend on where the scheduler put the server.

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { otelEnv } from './configs.mjs';
import { APP_CORE, LOAD_CORE } from './apps.mjs';
import { startSink } from '../sink.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DB_APP = join(root, 'bench', 'db', 'loop-app.cjs');
const OFFICIAL = join(root, 'bench', 'official', 'node_modules', '@opentelemetry', 'auto-instrumentations-node', 'build', 'src', 'register.js');
const support = join(root, 'dist', 'test', 'support');

/** No server to start: the app serves itself. */
const IN_APP = { url: '', stop: async () => {} };

/**
 * Per driver: the Debian program its server needs (none: always available) or how to tell it is
 * available, how to start one, what the loop does, the official instrumentation's name when there is
 * one; the loop app and the report's heading when not the database ones.
 */
export const DRIVERS = {
  pg: { program: 'initdb', start: () => require(join(support, 'servers', 'postgres.js')).startPostgres(), op: "pool.query('SELECT $1::int', [1])", official: 'pg' },
  mysql2: { program: 'mariadbd', start: () => require(join(support, 'servers', 'mariadb.js')).startMariaDb(), op: "pool.query('SELECT ?', [1])", official: 'mysql2' },
  redis: { program: 'redis-server', start: () => require(join(support, 'servers', 'redis.js')).startRedis(), op: 'node-redis SET/GET', official: 'redis' },
  ioredis: { program: 'redis-server', start: () => require(join(support, 'servers', 'redis.js')).startRedis(), op: 'ioredis SET/GET', official: 'ioredis' },
  // The official auto-instrumentation covers neither postgres.js nor SQLite: no third column for them.
  postgres: { program: 'initdb', start: () => require(join(support, 'servers', 'postgres.js')).startPostgres(), op: 'postgres.js sql`select ${1}::int`' },
  postgres4: {
    program: 'initdb',
    start: () => {
      postgres4Installed();
      return require(join(support, 'servers', 'postgres.js')).startPostgres();
    },
    op: 'postgres.js 4 sql`select ${1}::int` (its tracing channel)',
    app: join(root, 'bench', 'postgres4', 'loop-app.mjs'),
  },
  sqlite: { start: async () => ({ url: ':memory:', stop: async () => {} }), op: "better-sqlite3 prepare('SELECT ?').get(1), in memory" },
  // No MongoDB server installs here: the emulator the tests use (Python, single-threaded), so the loop is
  // bound by it, and the ratios say less than the other drivers'.
  mongodb: {
    available: () => require(join(support, 'servers', 'mongodb.js')).skipWithoutMongoDb() === false,
    start: () => require(join(support, 'servers', 'mongodb.js')).startMongoDb(),
    op: 'collection.findOne({ _id: 1 }) on a MongoDB emulator (MockupDB over mongomock)',
    official: 'mongodb',
  },
  // A server-named queue on a real RabbitMQ: each operation is one message published and consumed back.
  amqplib: {
    program: 'rabbitmq-server',
    start: () => require(join(support, 'servers', 'rabbitmq.js')).startRabbitMQ(),
    op: 'sendToQueue + consume + ack of one message on a real RabbitMQ',
    official: 'amqplib',
    app: join(root, 'bench', 'amqplib', 'loop-app.cjs'),
    heading: 'messaging',
  },
  grpc: {
    start: async () => IN_APP,
    op: 'unary Echo calls to a @grpc/grpc-js server in the same process',
    official: 'grpc',
    app: join(root, 'bench', 'grpc', 'loop-app.cjs'),
    heading: 'rpc',
  },
  // No OpenAI server runs here: the tests' replay server (the API reference's example answers) on loopback.
  // The official side gets its undici instrumentation too, so both make the SDK's fetch span as well.
  openai: {
    start: () => require(join(support, 'servers', 'llm-replay.js')).startLlmReplay(),
    op: 'openai 6 chat.completions.create against a local replay server',
    official: 'openai,undici',
    app: join(root, 'bench', 'genai', 'loop-app.cjs'),
    heading: 'genai',
  },
  // dynalite (npm, a devDependency) in a child process, as the tests start it. The official run enables
  // http beside aws-sdk: ours traces the SDK's HTTP request beneath the AWS span too.
  'aws-sdk': {
    start: async () => {
      const server = await require(join(support, 'servers', 'aws-local.js')).startDynalite();
      return { url: server.endpoint, stop: server.stop };
    },
    op: 'DynamoDB GetItem (@aws-sdk/client-dynamodb) against dynalite',
    official: 'aws-sdk,http',
    app: join(root, 'bench', 'aws', 'loop-app.cjs'),
    heading: 'cloud',
  },
  'socket.io': {
    start: async () => IN_APP,
    op: 'events with an ack from a socket.io-client to a socket.io server in the same process',
    official: 'socket.io',
    app: join(root, 'bench', 'socket.io', 'loop-app.cjs'),
    heading: 'messaging',
  },
};

/** bench/postgres4/node_modules/postgres: a copy of the devDependency postgres-4 (see its loop-app.mjs). */
function postgres4Installed() {
  const target = join(root, 'bench', 'postgres4', 'node_modules', 'postgres');
  if (!existsSync(join(target, 'package.json'))) cpSync(join(root, 'node_modules', 'postgres-4'), target, { recursive: true });
}

/** The drivers whose server program is installed here (or named by OTEL_TEST_*_URL). */
export function availableDrivers() {
  const { findOnPath } = require(join(support, 'debian-program.js'));
  const available = (driver) => {
    try {
      if (driver.available !== undefined) return driver.available();
      return driver.program === undefined || findOnPath(driver.program) !== undefined;
    } catch {
      return false;
    }
  };
  return Object.keys(DRIVERS).filter((name) => available(DRIVERS[name]));
}

function runApp(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', String(APP_CORE), process.execPath, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"ops"'));
      if (code !== 0 || line === undefined) reject(new Error(`${args.join(' ')} exited ${code}: ${out}`));
      else resolve(JSON.parse(line));
    });
  });
}

/**
 * Runs the driver's loop in every config, `rounds` times `roundMs`; returns a markdown section.
 * `before`: another built otel-instrument checkout, run as config 'before' (run.mjs --before).
 */
export async function dbBench(driverName, rounds, roundMs, log = console.log, before = undefined) {
  const driver = DRIVERS[driverName];
  // This process (the sink) and the server it starts now (which inherits the mask) on LOAD_CORE.
  const mask = execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).trim().split(' ').at(-1);
  execFileSync('taskset', ['-a', '-p', '-c', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const db = await driver.start();
  const sink = await startSink();
  try {
    const common = { DRIVER: driverName, DB_URL: db.url, DURATION_MS: String(roundMs) };
    const app = driver.app ?? DB_APP;
    const configs = {
      uninstrumented: () => runApp([app], common),
      ...(before === undefined ? {} : { before: () => runApp([join(before, 'bin', 'otel-instrument'), 'node', app], { ...common, ...otelEnv(sink.port) }) }),
      'otel-instrument': () => runApp([join(root, 'bin', 'otel-instrument'), 'node', app], { ...common, ...otelEnv(sink.port) }),
    };
    if (driver.official !== undefined && existsSync(OFFICIAL)) {
      configs[`official (instrumentation-${driver.official})`] = () =>
        runApp(['--require', OFFICIAL, app], { ...common, ...otelEnv(sink.port), OTEL_NODE_ENABLED_INSTRUMENTATIONS: driver.official });
    }
    const results = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
    const cpu = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
    // Spans that arrived per operation (the loop's own span left out): a config that drops spans under
    // load would otherwise look cheaper than it is.
    const spansPerOp = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(configs)) {
        sink.take();
        const { ops, cpuUsPerOp, allOps } = await run();
        results[name].push(ops);
        cpu[name].push(cpuUsPerOp);
        const exported = sink.take().traces.items;
        if (name !== 'uninstrumented' && exported === 0) throw new Error(`${driverName}/${name} exported no spans`);
        spansPerOp[name].push(Math.max(0, exported - 1) / allOps);
        log(`round ${round + 1}/${rounds} ${driverName.padEnd(8)} ${name.padEnd(34)} ${ops.toFixed(0).padStart(7)} ops/s ${cpuUsPerOp.toFixed(0).padStart(5)} us CPU/op ${(Math.max(0, exported - 1) / allOps).toFixed(2)} spans/op`);
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const base = median(results.uninstrumented);
    const baseCpu = median(cpu.uninstrumented);
    const rows = Object.entries(results).map(([name, values]) => {
      const m = median(values);
      const c = median(cpu[name]);
      return `| ${name} | ${Math.round(m)} | ${(m / base).toFixed(2)}x | ${Math.round(Math.min(...values))} | ${Math.round(Math.max(...values))} | ${Math.round(c)} | ${(baseCpu / c).toFixed(2)}x | ${name === 'uninstrumented' ? '' : Math.min(...spansPerOp[name]).toFixed(2)} |`;
    });
    return [
      `## ${driver.heading ?? 'db'} ${driverName}: ${driver.op} in a loop, 8 at a time (${rounds} rounds of ${roundMs} ms)`,
      '',
      `App pinned to core ${APP_CORE}; the server and the sink on core ${LOAD_CORE}.`,
      '',
      // CPU time per operation (the app process's): what a machine shared with other work disturbs least.
      '| config | median ops/s | vs uninstrumented | min | max | median app CPU us/op | ops per CPU second vs uninstrumented | spans per op (lowest round) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n');
  } finally {
    await sink.close();
    await db.stop();
    execFileSync('taskset', ['-a', '-p', mask, String(process.pid)], { stdio: 'ignore' });
  }
}
