// The AWS SDK benchmark alone (npm run bench runs it too, beside the database loops):
//   node bench/aws/run.mjs [rounds=5] [ms-per-round=3000]     after npm run build
// DynamoDB GetItem calls in a loop (bench/aws/loop-app.cjs) against dynalite, inside an active span,
// 100% sampled: uninstrumented vs otel-instrument vs the official instrumentation-aws-sdk (with its
// http instrumentation, since ours traces the SDK's HTTP request beneath the AWS span too).

import { dbBench } from '../lib/db-bench.mjs';

const [rounds, ms] = process.argv.slice(2);
console.log(await dbBench('aws-sdk', Number(rounds ?? 5), Number(ms ?? 3000)));
