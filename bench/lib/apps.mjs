// The fixture apps both bench scripts load (bench/apps/<script>, GET <path>), and the cores they run on:
// the app alone on one, wrk, the downstream server and the sink on the other.
import { ensureNextBuild } from './nextjs-build.mjs';

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
  hono: { title: 'hono 4 on @hono/node-server: /api sub-app, 2 middlewares, console.log, outgoing GET', script: 'hono-app.js', path: '/api/users/42' },
  hapi: { title: 'hapi 21: 2 extensions, console.log, outgoing GET', script: 'hapi-app.js', path: '/api/users/42' },
  nestjs: { title: 'NestJS on express: global prefix, 2 middlewares, console.log, outgoing GET', script: 'nestjs-app.js', path: '/api/users/42' },
  // `prepare(root)` runs once before the rounds: here the build `next start` serves.
  nextjs: {
    title: 'Next.js 16 app router, `next start` of a `next build`: one dynamic route handler, console.log, outgoing GET',
    script: 'nextjs-app.js',
    path: '/api/users/42',
    prepare: ensureNextBuild,
  },
  graphql: {
    title: 'graphql 16 on express: a query with 2 resolvers, console.log, the outgoing GET in a resolver',
    script: 'graphql-app.js',
    path: '/graphql?query=%7Buser(id:42)%7Bid%20profile%7Bname%7D%7D%7D',
  },
};
export const APP_CORE = 0;
export const LOAD_CORE = 1;
