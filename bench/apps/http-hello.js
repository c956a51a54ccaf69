'use strict';
// The plain node:http hello world the overhead targets are measured on.
const http = require('node:http');

http.createServer((req, res) => res.end('hello')).listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log('ready');
});
