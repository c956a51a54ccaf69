// The OpenAI benchmark alone (npm run bench runs it too, beside the database loops):
//   node bench/genai/run.mjs [rounds=5] [ms-per-round=3000]     after npm run build
// chat.completions.create in a loop (bench/genai/loop-app.cjs) against the local replay server,
// inside an active span, 100% sampled: uninstrumented vs otel-instrument vs the official
// @opentelemetry/instrumentation-openai (when bench/official is installed).

import { dbBench } from '../lib/db-bench.mjs';

const [rounds, ms] = process.argv.slice(2);
console.log(await dbBench('openai', Number(rounds ?? 5), Number(ms ?? 3000)));
