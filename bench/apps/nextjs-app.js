'use strict';
// The Next.js fixture: `next start` (Next 16, app router) of the build of bench/apps/nextjs that
// bench/lib/nextjs-build.mjs makes before the rounds. Its one dynamic route, GET /api/users/[id], logs
// one line and makes one outgoing GET to the bench's downstream server. Next's command runs in this
// process, as `next start` would run it (so the launcher's and the official preloads see Next), and
// 'ready' is printed once the port accepts connections: Next's own line says 'Ready'.
const net = require('node:net');
const { join } = require('node:path');

const port = Number(process.env.PORT);
const bin = require.resolve('next/dist/bin/next');
process.argv = [process.argv[0], bin, 'start', join(__dirname, 'nextjs'), '--port', String(port), '--hostname', '127.0.0.1'];
process.env.NEXT_TELEMETRY_DISABLED = '1';
require(bin);

function probe() {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    console.log('ready');
  });
  socket.once('error', () => setTimeout(probe, 20));
}
probe();
