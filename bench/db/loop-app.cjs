// The measured loop (run by bench/db/run.mjs, plain or under a launcher): one driver's operation,
// CONCURRENCY at a time, inside one active span (the global API: a no-op when plain). Prints one JSON
// line: operations per second over DURATION_MS after a warmup.
//   pg       pool.query('SELECT $1::int', [1]) on a pool of 4
//   mysql2   pool.query('SELECT ?', [1]) on a pool of 4
//   redis    node-redis 5: SET and GET in turn
//   ioredis  ioredis 5: SET and GET in turn
//   mongodb  mongodb 7: collection.findOne({ _id: 1 }) on a pool of 4
//   postgres postgres.js: sql`select ${1}::int` with max: 4
//   sqlite   better-sqlite3: a prepared SELECT ? in memory (synchronous: each op yields to the loop once)
const api = require('@opentelemetry/api');

const DRIVER = process.env.DRIVER;
const URL = process.env.DB_URL;
const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

/** { op(i, callback), close() } for DRIVER. */
async function connect() {
  switch (DRIVER) {
    case 'pg': {
      const { Pool } = require('pg');
      const pool = new Pool({ connectionString: URL, max: 4 });
      return { op: (_i, cb) => pool.query('SELECT $1::int', [1], cb), close: () => pool.end() };
    }
    case 'mysql2': {
      const pool = require('mysql2').createPool({ uri: URL, connectionLimit: 4 });
      return { op: (_i, cb) => pool.query('SELECT ?', [1], cb), close: () => pool.end() };
    }
    case 'redis': {
      const client = require('redis').createClient({ url: URL });
      await client.connect();
      return {
        op: (i, cb) => (i % 2 === 0 ? client.set('bench:key', 'value') : client.get('bench:key')).then(() => cb(null), cb),
        close: () => client.quit(),
      };
    }
    case 'ioredis': {
      const Redis = require('ioredis');
      const client = new Redis(URL);
      return { op: (i, cb) => (i % 2 === 0 ? client.set('bench:key', 'value', cb) : client.get('bench:key', cb)), close: () => client.quit() };
    }
    case 'postgres': {
      const sql = require('postgres')(URL, { max: 4, onnotice: () => undefined });
      return { op: (_i, cb) => sql`select ${1}::int`.then(() => cb(null), cb), close: () => sql.end() };
    }
    case 'sqlite': {
      const Database = require('better-sqlite3');
      const db = new Database(URL);
      const statement = db.prepare('SELECT ?');
      return {
        op: (_i, cb) => {
          try {
            statement.get(1);
          } catch (error) {
            return setImmediate(cb, error);
          }
          setImmediate(cb, null);
        },
        close: async () => db.close(),
      };
    }
    case 'mongodb': {
      const { MongoClient } = require('mongodb');
      const client = new MongoClient(URL, { maxPoolSize: 4 });
      const items = client.db('bench').collection('items');
      await items.updateOne({ _id: 1 }, { $set: { name: 'one' } }, { upsert: true });
      return { op: (_i, cb) => items.findOne({ _id: 1 }).then(() => cb(null), cb), close: () => client.close() };
    }
    default:
      throw new Error(`DRIVER must be pg, mysql2, redis, ioredis, mongodb, postgres or sqlite, not ${DRIVER}`);
  }
}

function run(client, ms) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + ms;
    let done = 0;
    let running = CONCURRENCY;
    const next = () => {
      client.op(done, (error) => {
        if (error) return reject(error);
        done++;
        if (performance.now() < deadline) next();
        else if (--running === 0) resolve(done);
      });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

connect().then((client) =>
  api.trace.getTracer('bench').startActiveSpan('bench loop', async (span) => {
    await run(client, WARMUP_MS);
    const started = performance.now();
    const done = await run(client, DURATION_MS);
    const seconds = (performance.now() - started) / 1000;
    span.end();
    console.log(JSON.stringify({ ops: done / seconds }));
    await client.close();
  }),
);
