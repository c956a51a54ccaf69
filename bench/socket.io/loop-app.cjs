// The socket.io loop (run by bench/socket.io/run.mjs, plain or under a launcher): a socket.io-client
// emits an event with an ack to a socket.io server in the same process over a loopback websocket; the
// server's listener acks it. One operation is the round trip, so both sides' instrumentation (the
// client's send span, the server's process span and the context carried between them) is in what it
// measures, in the measured loop of bench/lib/op-loop.cjs.
const { createServer } = require('node:http');
const { Server } = require('socket.io');
const { io } = require('socket.io-client');
const { measureLoop } = require('../lib/op-loop.cjs');

async function connect() {
  const http = createServer();
  const server = new Server(http);
  server.on('connection', (socket) => socket.on('order', (order, ack) => ack(order.id)));
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const socket = io(`http://127.0.0.1:${http.address().port}`, { transports: ['websocket'] });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    op: (i, cb) => socket.emit('order', { id: i, total: 42 }, () => cb(null)),
    close: () =>
      new Promise((resolve) => {
        socket.disconnect();
        server.close(() => resolve());
      }),
  };
}

measureLoop(connect);
