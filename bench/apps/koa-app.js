'use strict';
// The koa fixture, the express one's twin: a @koa/router Router mounted at /api, two middlewares, one
// console.log and one outgoing GET to the bench's downstream server per request, and a JSON response.
// koa 3 and @koa/router 15 resolve from the root node_modules (devDependencies), for every configuration.
const Koa = require('koa');
const { Router } = require('@koa/router');
const getJson = require('./get-json.js');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;
const app = new Koa();

// Middleware 1: a timing header, as many apps set.
app.use(async (ctx, next) => {
  ctx.set('x-started-at', String(Date.now()));
  await next();
});

// Middleware 2: a request id read from the client or made up.
let nextId = 0;
app.use(async (ctx, next) => {
  ctx.state.requestId = ctx.get('x-request-id') || String(++nextId);
  await next();
});

const api = new Router({ prefix: '/api' });
api.get('/users/:id', async (ctx) => {
  console.log('user %s requested (request %s)', ctx.params.id, ctx.state.requestId);
  ctx.body = { id: ctx.params.id, requestId: ctx.state.requestId, profile: await getJson(downstream) };
});
app.use(api.routes());

app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log('ready');
});
