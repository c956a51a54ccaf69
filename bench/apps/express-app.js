'use strict';
// The express fixture: a Router mounted at /api, two middlewares, one console.log and one
// outgoing GET to the bench's downstream server per request, and a JSON response.
// express 4 resolves from the root node_modules (a devDependency), for every configuration.
const http = require('node:http');
const express = require('express');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;
const app = express();

// Middleware 1: a timing header, as many apps set.
app.use((req, res, next) => {
  res.setHeader('x-started-at', String(Date.now()));
  next();
});

// Middleware 2: a request id read from the client or made up.
let nextId = 0;
app.use((req, res, next) => {
  req.requestId = req.headers['x-request-id'] ?? String(++nextId);
  next();
});

const api = express.Router();
api.get('/users/:id', (req, res, next) => {
  console.log('user %s requested (request %s)', req.params.id, req.requestId);
  http
    .get(downstream, (upstream) => {
      let body = '';
      upstream.setEncoding('utf8');
      upstream.on('data', (chunk) => (body += chunk));
      upstream.on('end', () => res.json({ id: req.params.id, requestId: req.requestId, profile: JSON.parse(body) }));
    })
    .on('error', next);
});
app.use('/api', api);

app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log('ready');
});
