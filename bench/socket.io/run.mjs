// The socket.io benchmark alone (npm run bench runs it too, beside the database loops):
//   node bench/socket.io/run.mjs [rounds=5] [ms-per-round=3000]     after npm run build
// Events with an ack from a socket.io-client to a socket.io server in one process
// (bench/socket.io/loop-app.cjs), inside an active span, 100% sampled: uninstrumented vs
// otel-instrument vs the official instrumentation-socket.io.

import { dbBench } from '../lib/db-bench.mjs';

const [rounds, ms] = process.argv.slice(2);
console.log(await dbBench('socket.io', Number(rounds ?? 5), Number(ms ?? 3000)));
