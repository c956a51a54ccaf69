'use strict';
// The hono fixture, the koa one's twin: hono 4 on @hono/node-server, an /api sub-app, two middlewares,
// one console.log and one outgoing GET to the bench's downstream server per request, a JSON response.
const { Hono } = require('hono');
const { serve } = require('@hono/node-server');
const getJson = require('./get-json.js');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;
const app = new Hono();

// Middleware 1: a timing header, as many apps set.
app.use('*', async (c, next) => {
  c.header('x-started-at', String(Date.now()));
  await next();
});

// Middleware 2: a request id read from the client or made up.
let nextId = 0;
app.use('*', async (c, next) => {
  c.set('requestId', c.req.header('x-request-id') || String(++nextId));
  await next();
});

const api = new Hono();
api.get('/users/:id', async (c) => {
  const id = c.req.param('id');
  console.log('user %s requested (request %s)', id, c.get('requestId'));
  return c.json({ id, requestId: c.get('requestId'), profile: await getJson(downstream) });
});
app.route('/api', api);

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => {
  console.log('ready');
});
