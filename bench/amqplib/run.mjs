// The RabbitMQ benchmark alone (npm run bench runs it too when rabbitmq-server is installed):
//   node bench/amqplib/run.mjs [rounds=5] [ms-per-round=3000]     after npm run build
// OTEL_TEST_AMQP_URL names a running broker; else a throwaway one is started from Debian's rabbitmq-server.

import { dbBench } from '../lib/db-bench.mjs';

const [rounds, ms] = process.argv.slice(2);
console.log(await dbBench('amqplib', Number(rounds ?? 5), Number(ms ?? 3000)));
