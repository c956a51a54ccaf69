'use strict';
// The service the express fixture calls once per request. Started once by the bench,
// uninstrumented, so its cost is the same in every configuration.
const http = require('node:http');

const body = JSON.stringify({ name: 'Ada', plan: 'pro', active: true });

http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => {
    console.log('ready');
  });
