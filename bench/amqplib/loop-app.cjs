// The RabbitMQ loop (run by bench/amqplib/run.mjs and npm run bench, plain or under a launcher): one
// message per operation, published with sendToQueue and consumed back by a consumer on the same
// connection, acked, in the measured loop of bench/lib/op-loop.cjs: the per-message cost of both
// the producer and the consumer side is in what it measures. DB_URL names the broker.
const { measureLoop } = require('../lib/op-loop.cjs');

async function connect() {
  const amqp = require('amqplib');
  // Without TCP_NODELAY each small publish waits on the broker's delayed ACK (~40 ms): the loop would
  // measure that wait, not the per-message work.
  const connection = await amqp.connect(process.env.DB_URL, { noDelay: true });
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  const waiting = new Map();
  const body = Buffer.from('{"order":42}');
  let next = 0;
  await channel.consume(queue, (message) => {
    channel.ack(message);
    const id = message.properties.messageId;
    const done = waiting.get(id);
    waiting.delete(id);
    done(null);
  });
  return {
    op: (_i, cb) => {
      const id = String(++next);
      waiting.set(id, cb);
      channel.sendToQueue(queue, body, { messageId: id });
    },
    close: async () => {
      await channel.close();
      await connection.close();
    },
  };
}

measureLoop(connect);
