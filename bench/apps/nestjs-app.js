'use strict';
// The NestJS fixture, the koa one's twin: NestJS on its express platform, global prefix /api, a
// UsersController whose GET /api/users/:id logs one line and makes one outgoing GET to the bench's
// downstream server, two middlewares (a timing header and a request id), and a JSON response.
// Decorators are applied by calling them, as TypeScript's compiled output does.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Get, Module, Param, Req } = require('@nestjs/common');
const getJson = require('./get-json.js');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;

class UsersController {
  async findOne(id, req) {
    console.log('user %s requested (request %s)', id, req.requestId);
    return { id, requestId: req.requestId, profile: await getJson(downstream) };
  }
}
Param('id')(UsersController.prototype, 'findOne', 0);
Req()(UsersController.prototype, 'findOne', 1);
Reflect.defineMetadata('design:paramtypes', [String, Object], UsersController.prototype, 'findOne');
const descriptor = Object.getOwnPropertyDescriptor(UsersController.prototype, 'findOne');
Object.defineProperty(UsersController.prototype, 'findOne', Get(':id')(UsersController.prototype, 'findOne', descriptor) || descriptor);
Controller('users')(UsersController);

class AppModule {}
Module({ controllers: [UsersController] })(AppModule);

let nextId = 0;
async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.setGlobalPrefix('api');
  // Middleware 1: a timing header, as many apps set.
  app.use((req, res, next) => {
    res.setHeader('x-started-at', String(Date.now()));
    next();
  });
  // Middleware 2: a request id read from the client or made up.
  app.use((req, res, next) => {
    req.requestId = req.headers['x-request-id'] || String(++nextId);
    next();
  });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  console.log('ready');
}
main();
