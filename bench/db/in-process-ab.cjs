// What our instrumentation layer costs per operation, on a machine too busy for process-against-process
// comparisons: the same driver loaded twice in one process (a plain copy, then a copy through our module
// hooks), the bench loop (bench/lib/op-loop.cjs's, 8 at a time, inside one active span) run on each in
// alternating windows, CPU time per operation of each and their difference per pair of windows. Spans
// end into a listener that drops them (the export pipeline is not measured here), measurements go to
// the real meter provider. better-sqlite3 is left out: its native Statement class is shared by both copies.
//   node bench/db/in-process-ab.cjs <pg|mysql2|redis|ioredis|postgres|amqplib> [windows=20] [ms-per-window=300]
// after npm run build; DIST=<another checkout's dist> measures that build with this repository's drivers.
const path = require('node:path');
const ROOT = path.join(__dirname, '..', '..');
const DIST = process.env.DIST ?? path.join(ROOT, 'dist');
const Module = require('node:module');
const req = Module.createRequire(path.join(ROOT, 'bench/db/loop-app.cjs'));
const [driver, windowsArg = '20', msArg = '300'] = process.argv.slice(2);
const D = (p) => require(path.join(DIST, p));
const SERVERS = { pg: ['postgres', 'startPostgres'], postgres: ['postgres', 'startPostgres'], mysql2: ['mariadb', 'startMariaDb'], redis: ['redis', 'startRedis'], ioredis: ['redis', 'startRedis'], amqplib: ['rabbitmq', 'startRabbitMQ'] };
const MODS = { pg: ['pg'], postgres: ['postgres'], mysql2: ['mysql2'], redis: ['redis', '@redis/client'], ioredis: ['ioredis'], amqplib: ['amqplib'] };
const INSTR = { pg: 'pg', postgres: 'postgres', mysql2: 'mysql2', redis: 'redis', ioredis: 'ioredis', amqplib: 'amqplib' };

function connect(lib, url) {
  switch (driver) {
    case 'pg': { const pool = new lib.Pool({ connectionString: url, max: 4 }); return { op: (_i, cb) => pool.query('SELECT $1::int', [1], cb), close: () => pool.end() }; }
    case 'mysql2': { const pool = lib.createPool({ uri: url, connectionLimit: 4 }); return { op: (_i, cb) => pool.query('SELECT ?', [1], cb), close: () => pool.end() }; }
    case 'redis': { const c = lib.createClient({ url }); const ready = c.connect(); return { ready, op: (i, cb) => (i % 2 === 0 ? c.set('bench:key', 'value') : c.get('bench:key')).then(() => cb(null), cb), close: () => c.quit() }; }
    case 'ioredis': { const c = new lib(url); return { op: (i, cb) => (i % 2 === 0 ? c.set('bench:key', 'value', cb) : c.get('bench:key', cb)), close: () => c.quit() }; }
    case 'postgres': { const sql = lib(url, { max: 4, onnotice: () => undefined }); return { op: (_i, cb) => sql`select ${1}::int`.then(() => cb(null), cb), close: () => sql.end() }; }
    case 'amqplib': {
      const ready = (async () => {
        const connection = await lib.connect(url, { noDelay: true });
        const channel = await connection.createChannel();
        const { queue } = await channel.assertQueue('', { exclusive: true });
        const waiting = new Map();
        const body = Buffer.from('{"order":42}');
        let next = 0;
        await channel.consume(queue, (message) => { channel.ack(message); const id = message.properties.messageId; const done = waiting.get(id); waiting.delete(id); done(null); });
        client.op = (_i, cb) => { const id = String(++next); waiting.set(id, cb); channel.sendToQueue(queue, body, { messageId: id }); };
        client.close = async () => { await channel.close(); await connection.close(); };
      })();
      const client = { ready };
      return client;
    }
  }
}
function run(client, ms) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + ms;
    let done = 0, running = 8;
    const next = () => client.op(done, (e) => { if (e) return reject(e); done++; if (performance.now() < deadline) next(); else if (--running === 0) resolve(done); });
    for (let i = 0; i < 8; i++) next();
  });
}
(async () => {
  let server = { url: ':memory:', stop: async () => {} };
  if (SERVERS[driver]) { const [f, fn] = SERVERS[driver]; server = await require(path.join(ROOT, 'dist', 'test', 'support', 'servers', `${f}.js`))[fn](); }
  const plainLib = req(MODS[driver][0]);
  // Forget every module of the driver so that the hooked require loads fresh copies.
  for (const key of Object.keys(require.cache)) if (/node_modules\/(pg|pg-pool|pg-protocol|pg-cursor|postgres|mysql2|redis|@redis|ioredis|amqplib)\//.test(key) && !key.endsWith('.node')) delete require.cache[key];
  const { SdkTracerProvider } = D('src/trace/tracer-provider.js');
  const { SdkMeterProvider } = D('src/metrics/meter-provider.js');
  const { alwaysOn } = D('src/trace/samplers.js');
  const { loadConfig } = D('src/config/load-config.js');
  const { INSTRUMENTATIONS, INSTRUMENTATION_SETTINGS } = D('instrumentations/registry.js');
  const { traceContextPropagator } = D('src/context/propagation/tracecontext.js');
  const { ModuleHooks } = D('src/hook/module-hooks.js');
  const { runWithContext } = D('src/context/als-context-manager.js');
  const { trace } = D('src/otel-api/trace.js');
  const { ROOT_CONTEXT } = D('src/context/context.js');
  const config = loadConfig({}, { extra: INSTRUMENTATION_SETTINGS });
  let ended = 0;
  const tracerProvider = new SdkTracerProvider({ sampler: alwaysOn, limits: config.spanLimits, resource: { attributes: { 'service.name': 'b' } }, listener: { onEnd() { ended++; } } });
  const meterProvider = new SdkMeterProvider({ resource: { attributes: { 'service.name': 'b' } }, temporalityPreference: 'cumulative', exemplarFilter: 'trace_based' });
  const hooks = new ModuleHooks(INSTRUMENTATIONS.filter((e) => e.name === INSTR[driver]), { tracerProvider, meterProvider, loggerProvider: undefined, propagator: traceContextPropagator, config });
  hooks.install();
  const tracedLib = req(MODS[driver][0]);
  if (tracedLib === plainLib) throw new Error('the driver was not loaded a second time');
  const plain = connect(plainLib, server.url);
  const traced = connect(tracedLib, server.url);
  await plain.ready; await traced.ready;
  const span = tracerProvider.getTracer('bench').startSpan('bench loop');
  const ctx = trace.setSpan(ROOT_CONTEXT, span);
  const windows = Number(windowsArg), ms = Number(msArg);
  const res = { plain: [], traced: [] };
  await runWithContext(ctx, async () => {
    await run(plain, 500); await run(traced, 500);
    for (let w = 0; w < windows; w++) for (const [name, c] of (w % 2 ? [['plain', plain], ['traced', traced]] : [['traced', traced], ['plain', plain]])) {
      const cpu = process.cpuUsage(); const n = await run(c, ms); const u = process.cpuUsage(cpu);
      res[name].push((u.user + u.system) / n);
    }
  });
  if (ended === 0) throw new Error('no spans');
  const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(v.length * p)];
  const added = res.traced.map((t, i) => t - res.plain[i]);
  console.log(`${driver} ${DIST}: plain med ${med(res.plain).toFixed(2)} traced med ${med(res.traced).toFixed(2)} | added per pair: med ${med(added).toFixed(2)} [p25 ${q(added, 0.25).toFixed(2)} p75 ${q(added, 0.75).toFixed(2)}] us/op`);
  await plain.close(); await traced.close(); await server.stop();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
