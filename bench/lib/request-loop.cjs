'use strict';
// Run as the app (plain, or under bin/otel-instrument): loads a bench app script, then drives it from
// this same process with raw keep-alive sockets (net, never instrumented) and prints the process's CPU
// time per request over a fixed number of requests to stderr as JSON. In one process, at the rate the
// process itself can go, so time-based work (export timers, collection) is spread over as many
// requests as a quiet machine would serve, and a busy machine changes little but the wall clock.
//
//   node bench/lib/request-loop.cjs <app script> <path> <warmup requests> <measured requests> <connections>

const net = require('node:net');
const { writeSync } = require('node:fs');
const path = require('node:path');

const [script, urlPath, warmupArg, measuredArg, connectionsArg] = process.argv.slice(2);
const warmup = Number(warmupArg);
const measured = Number(measuredArg);
const connections = Number(connectionsArg);
const port = Number(process.env.PORT);
const request = Buffer.from(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: request-loop\r\n\r\n`);

// The app prints 'ready' once it listens; its console.log is left as it is (it may be captured).
require(path.resolve(script));

let sent = 0;
let done = 0;
let startCpu;
let startWall;

function finishIfDone() {
  if (done === warmup) {
    startCpu = process.cpuUsage();
    startWall = process.hrtime.bigint();
  }
  if (done === warmup + measured) {
    const cpu = process.cpuUsage(startCpu);
    const wallMs = Number(process.hrtime.bigint() - startWall) / 1e6;
    writeSync(2, `${JSON.stringify({ cpuUsPerRequest: (cpu.user + cpu.system) / measured, wallMs, requests: measured })}\n`);
    process.exit(0);
  }
}

/** One connection: a request, then the next once the whole response is in (Content-Length or chunked). */
function connection() {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const next = () => {
    if (sent >= warmup + measured) return;
    sent++;
    socket.write(request);
  };
  socket.setEncoding('latin1');
  socket.on('connect', next);
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffered.slice(0, end);
      const length = /content-length: *(\d+)/i.exec(head);
      let total;
      if (length !== null) total = end + 4 + Number(length[1]);
      else {
        const last = buffered.indexOf('0\r\n\r\n', end + 4);
        if (last === -1) return;
        total = last + 5;
      }
      if (buffered.length < total) return;
      if (!head.startsWith('HTTP/1.1 200')) throw new Error(`unexpected answer: ${head.split('\r\n')[0]}`);
      buffered = buffered.slice(total);
      done++;
      finishIfDone();
      next();
    }
  });
}

// Give the app the time to listen (it does so in its first tick).
setTimeout(() => {
  for (let i = 0; i < connections; i++) connection();
}, 200);
