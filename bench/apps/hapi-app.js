'use strict';
// The hapi fixture, the koa one's twin: hapi 21, two onRequest/onPreHandler extensions in place of
// middlewares, one console.log and one outgoing GET to the bench's downstream server per request, JSON.
const Hapi = require('@hapi/hapi');
const getJson = require('./get-json.js');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;

async function main() {
  const server = Hapi.server({ port: Number(process.env.PORT), host: '127.0.0.1' });
  // Extension 1: a timing header, as many apps set.
  server.ext('onPreResponse', (request, h) => {
    if (!request.response.isBoom) request.response.header('x-started-at', String(request.info.received));
    return h.continue;
  });
  // Extension 2: a request id read from the client or made up.
  let nextId = 0;
  server.ext('onPreHandler', (request, h) => {
    request.app.requestId = request.headers['x-request-id'] || String(++nextId);
    return h.continue;
  });
  server.route({
    method: 'GET',
    path: '/api/users/{id}',
    handler: async (request) => {
      console.log('user %s requested (request %s)', request.params.id, request.app.requestId);
      return { id: request.params.id, requestId: request.app.requestId, profile: await getJson(downstream) };
    },
  });
  await server.start();
  console.log('ready');
}
main();
