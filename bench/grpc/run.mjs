// The gRPC benchmark alone (npm run bench runs it too, beside the database loops):
//   node bench/grpc/run.mjs [rounds=5] [ms-per-round=3000]     after npm run build
// Unary Echo calls in a loop (bench/grpc/loop-app.cjs), client and server in one process, inside an
// active span, 100% sampled: uninstrumented vs otel-instrument vs the official instrumentation-grpc.

import { dbBench } from '../lib/db-bench.mjs';

const [rounds, ms] = process.argv.slice(2);
console.log(await dbBench('grpc', Number(rounds ?? 5), Number(ms ?? 3000)));
