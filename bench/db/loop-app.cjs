// The database loop (run by bench/db/run.mjs, plain or under a launcher): one driver's operation in
// the measured loop of bench/lib/op-loop.cjs.
//   pg       pool.query('SELECT $1::int', [1]) on a pool of 4
//   mysql2   pool.query('SELECT ?', [1]) on a pool of 4
//   redis    node-redis 5: SET and GET in turn
//   ioredis  ioredis 5: SET and GET in turn
//   mongodb  mongodb 7: collection.findOne({ _id: 1 }) on a pool of 4
//   postgres postgres.js: sql`select ${1}::int` with max: 4
//   sqlite   better-sqlite3: a prepared SELECT ? in memory (synchronous: each op yields to the loop once)
const { measureLoop } = require('../lib/op-loop.cjs');

const DRIVER = process.env.DRIVER;
const URL = process.env.DB_URL;

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

measureLoop(connect);
