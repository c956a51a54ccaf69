'use strict';
// The fastify fixture, the express one's twin: routes registered under the /api prefix, two hooks,
// one console.log and one outgoing GET to the bench's downstream server per request, and a JSON
// response. fastify 5 resolves from the root node_modules (a devDependency), for every configuration.
const http = require('node:http');
const fastify = require('fastify');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;
const app = fastify();

// Hook 1: a timing header, as many apps set.
app.addHook('onRequest', (request, reply, done) => {
  reply.header('x-started-at', String(Date.now()));
  done();
});

// Hook 2: a request id read from the client or made up.
let nextId = 0;
app.addHook('onRequest', (request, reply, done) => {
  request.requestId = request.headers['x-request-id'] ?? String(++nextId);
  done();
});

app.register(
  async (api) => {
    api.get('/users/:id', (request, reply) => {
      console.log('user %s requested (request %s)', request.params.id, request.requestId);
      http
        .get(downstream, (upstream) => {
          let body = '';
          upstream.setEncoding('utf8');
          upstream.on('data', (chunk) => (body += chunk));
          upstream.on('end', () => reply.send({ id: request.params.id, requestId: request.requestId, profile: JSON.parse(body) }));
        })
        .on('error', (error) => reply.send(error));
    });
  },
  { prefix: '/api' },
);

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(() => {
  console.log('ready');
});
