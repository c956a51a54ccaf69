// The fixture apps both bench scripts load (bench/apps/<script>, GET <path>), and the cores they run on:
// the app alone on one, wrk, the downstream server and the sink on the other.
export const APPS = {
  'http-hello': { title: 'plain node:http hello', script: 'http-hello.js', path: '/' },
  express: { title: 'express 4: router, 2 middlewares, console.log, outgoing GET', script: 'express-app.js', path: '/api/users/42' },
  koa: { title: 'koa 3 + @koa/router: router, 2 middlewares, console.log, outgoing GET', script: 'koa-app.js', path: '/api/users/42' },
  // `official` adds preloads (files in bench/official) to the official configuration for this app.
  fastify: {
    title: 'fastify 5: prefixed plugin, 2 hooks, console.log, outgoing GET (official: + @fastify/otel)',
    script: 'fastify-app.js',
    path: '/api/users/42',
    official: ['fastify-otel.cjs'],
  },
};
export const APP_CORE = 0;
export const LOAD_CORE = 1;
