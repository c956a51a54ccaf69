// Every instrumentation we have, by name and module. Its code is required only when the
// app first loads one of its modules, so an unused instrumentation costs nothing.

import type { Setting } from '../src/config/setting.js';
import type { Instrumentation, InstrumentationEntry } from '../src/hook/instrumentation.js';
// Settings files are data only: they load no instrumentation code.
import { DB_SETTINGS } from './db/settings.js';
import { EXPRESS_SETTINGS } from './express/settings.js';
import { FASTIFY_SETTINGS } from './fastify/settings.js';
import { GRAPHQL_SETTINGS } from './graphql/settings.js';
import { GENAI_SETTINGS } from './genai/settings.js';
import { GRPC_SETTINGS } from './grpc/settings.js';
import { HTTP_SETTINGS } from './http/settings.js';
import { MESSAGING_SETTINGS } from './messaging/settings.js';
import { UNDICI_SETTINGS } from './undici/settings.js';

/** require() of a sibling folder's index, typed by the export name it holds. */
function loader(path: string, name: string): () => Instrumentation {
  return () => (require(path) as Record<string, Instrumentation>)[name]!;
}

export const INSTRUMENTATIONS: readonly InstrumentationEntry[] = [
  { name: 'http', modules: ['http', 'https'], settings: HTTP_SETTINGS, load: loader('./http/index.js', 'http') },
  // express 4 keeps its router inside; express 5 uses the separate `router` package.
  {
    name: 'express',
    modules: ['express', 'express/lib/router/layer.js', 'express/lib/router/index.js', 'router', 'router/lib/layer.js'],
    settings: EXPRESS_SETTINGS,
    load: loader('./express/index.js', 'express'),
  },
  // hono 4: its Hono classes (default and presets) and the routers an app may pass itself; the same
  // public names for require and import. hono/index.ts lists them too (a test keeps the two equal).
  {
    name: 'hono',
    modules: ['hono', 'hono/quick', 'hono/tiny', ...['reg-exp', 'trie', 'smart', 'pattern', 'linear'].map((router) => `hono/router/${router}-router`)],
    load: loader('./hono/index.js', 'hono'),
  },
  // hapi 21: the request's route lookup and the toolkit that runs every lifecycle method (internal files).
  { name: 'hapi', modules: ['@hapi/hapi', '@hapi/hapi/lib/request.js', '@hapi/hapi/lib/toolkit.js'], load: loader('./hapi/index.js', 'hapi') },
  // NestJS 10, 11 and 12: its entry point only (12 is ES modules only; nestjs/router-execution-context.ts says why).
  { name: 'nestjs', modules: ['@nestjs/core'], load: loader('./nestjs/index.js', 'nestjs') },
  // Next.js 15 and 16: its BaseServer, its tracer and its request-error reporter (internal files; the
  // compiled route runtimes require the last two rather than bundle them). The package itself is not
  // hooked (hundreds of files), so the hook matches these by path, which it names without `.js`.
  // nextjs/index.ts lists them too.
  {
    name: 'nextjs',
    modules: ['next/dist/server/base-server', 'next/dist/server/lib/trace/tracer', 'next/dist/server/lib/router-utils/instrumentation-globals.external'],
    load: loader('./nextjs/index.js', 'nextjs'),
  },
  // koa 2 and 3 (Application.prototype.emit) with @koa/router or koa-router (Router.prototype.register).
  { name: 'koa', modules: ['koa', '@koa/router', 'koa-router'], load: loader('./koa/index.js', 'koa') },
  // fastify 4 and 5 announce each instance on a diagnostics channel, whatever name they were loaded by:
  // nothing to hook (the instrumentation's code loads with the first instance).
  { name: 'fastify', modules: [], settings: FASTIFY_SETTINGS, load: loader('./fastify/index.js', 'fastify') },
  // The global fetch and the undici package report through diagnostics_channel: nothing to hook.
  { name: 'undici', modules: [], settings: UNDICI_SETTINGS, load: loader('./undici/index.js', 'undici') },
  // The global console: wrapped at startup when logs are exported (no module to wait for).
  { name: 'console', modules: [], load: loader('./console/index.js', 'consoleInstrumentation') },
  // Logging libraries: records to OTLP, trace ids into their own lines. The patched files are
  // internal ones; the package name is listed too, as for express, because the require hook
  // only reports a package's internal files when the package itself is hooked.
  { name: 'pino', modules: ['pino', 'pino/lib/symbols.js', 'pino/lib/proto.js'], load: loader('./pino/index.js', 'pino') },
  { name: 'winston', modules: ['winston', 'winston/lib/winston/logger.js'], load: loader('./winston/index.js', 'winston') },
  { name: 'bunyan', modules: ['bunyan'], load: loader('./bunyan/index.js', 'bunyan') },
  // Databases and caches. The command path is in internal files, so each package is listed too.
  // node-redis: the client is @redis/client (1.x under redis 4, 5.x and 6.x under redis 5 and 6).
  {
    name: 'redis',
    modules: ['@redis/client', '@redis/client/dist/lib/client/index.js', '@redis/client/dist/lib/client/commands-queue.js'],
    load: loader('./redis/index.js', 'redis'),
  },
  {
    name: 'ioredis',
    modules: ['ioredis', 'ioredis/built/Redis.js', 'ioredis/built/Pipeline.js', 'ioredis/built/cluster/index.js'],
    load: loader('./ioredis/index.js', 'ioredis'),
  },
  // mysql2 3.x: its connection and pool classes (mysql2/promise loads them without the package's index).
  { name: 'mysql2', modules: ['mysql2', 'mysql2/lib/connection.js', 'mysql2/lib/pool.js'], load: loader('./mysql2/index.js', 'mysql2') },
  // node-postgres: pg's Client, and pg-pool's Pool, which pg loads; connection-parameters.js parses a pool's server;
  // pg-cursor's callbacks are bound to their caller's context.
  { name: 'pg', modules: ['pg', 'pg/lib/connection-parameters.js', 'pg-pool', 'pg-cursor'], load: loader('./pg/index.js', 'pg') },
  // SQLite: better-sqlite3, and the builtin node:sqlite (hooked by that name: it has no other).
  { name: 'sqlite', modules: ['better-sqlite3', 'node:sqlite'], load: loader('./sqlite/index.js', 'sqlite') },
  // postgres.js 3.x: its factory, and its Query class (separate CommonJS and ESM copies); 4.x: its query TracingChannel.
  {
    name: 'postgres',
    modules: ['postgres', 'postgres/cjs/src/query.js', 'postgres/src/query.js'],
    load: loader('./postgres/index.js', 'postgres'),
  },
  // mongodb 6 and 7 (Mongoose rides on it): the connection class every command passes, the pool's connect and checkOut.
  { name: 'mongodb', modules: ['mongodb', 'mongodb/lib/cmap/connection.js', 'mongodb/lib/cmap/connect.js', 'mongodb/lib/cmap/connection_pool.js'], load: loader('./mongodb/index.js', 'mongodb') },
  // graphql 15-17: 17 reports through its diagnostics channels (the package's first load subscribes);
  // 15 and 16 are patched in the files that define parse, validate, execute and subscribe.
  {
    name: 'graphql',
    modules: [
      'graphql',
      'graphql/language/parser.js',
      'graphql/validation/validate.js',
      'graphql/execution/execute.js',
      'graphql/execution/subscribe.js',
      'graphql/subscription/subscribe.js',
    ],
    settings: GRAPHQL_SETTINGS,
    load: loader('./graphql/index.js', 'graphql'),
  },
  // @grpc/grpc-js: its client, call, server and server-call files (the package is listed for its internals).
  {
    name: 'grpc',
    modules: [
      '@grpc/grpc-js',
      '@grpc/grpc-js/build/src/client.js',
      '@grpc/grpc-js/build/src/call.js',
      '@grpc/grpc-js/build/src/server.js',
      '@grpc/grpc-js/build/src/server-interceptors.js',
      '@grpc/grpc-js/build/src/server-call.js',
    ],
    settings: GRPC_SETTINGS,
    load: loader('./grpc/index.js', 'grpc'),
  },
  // LLM clients: the SDK's entry (its resource classes hang off the client class). genai/ holds what
  // both share, and their one setting.
  { name: 'openai', modules: ['openai'], settings: GENAI_SETTINGS, load: loader('./openai/index.js', 'openai') },
  { name: 'anthropic', modules: ['@anthropic-ai/sdk'], settings: GENAI_SETTINGS, load: loader('./anthropic/index.js', 'anthropic') },
  // AWS SDK v3: the smithy Client every @aws-sdk/client-* extends, in @smithy/core's client submodule
  // (@smithy/core 3.24 and later; the package is listed for its internals) or @smithy/smithy-client.
  // aws-sdk/index.ts names the same file.
  {
    name: 'aws-sdk',
    modules: ['@smithy/core', '@smithy/core/dist-cjs/submodules/client/index.js', '@smithy/smithy-client'],
    load: loader('./aws-sdk/index.js', 'awsSdk'),
  },
  // amqplib (RabbitMQ) 0.10-2.x: its connect, channel and both API files (the package is listed for its internals).
  {
    name: 'amqplib',
    modules: ['amqplib', 'amqplib/lib/connect.js', 'amqplib/lib/channel.js', 'amqplib/lib/channel_model.js', 'amqplib/lib/callback_model.js'],
    load: loader('./amqplib/index.js', 'amqplib'),
  },
  // socket.io 4 (server files) and socket.io-client 4 (its Socket class in each build);
  // the packages are listed for their internal files.
  {
    name: 'socket.io',
    modules: [
      'socket.io',
      'socket.io/dist/socket.js',
      'socket.io/dist/typed-events.js',
      'socket.io/dist/broadcast-operator.js',
      'socket.io-client',
      ...['cjs', 'esm', 'esm-debug'].map((build) => `socket.io-client/build/${build}/socket.js`),
    ],
    load: loader('./socket.io/index.js', 'socketIo'),
  },
  // kafkajs 2.x: Kafka#producer and Kafka#consumer, in its entry point.
  { name: 'kafkajs', modules: ['kafkajs'], load: loader('./kafkajs/index.js', 'kafkajs') },
  // Event loop, V8 heap and GC, process CPU and memory: read by the metrics reader, nothing to hook.
  { name: 'runtime', modules: [], load: loader('./runtime/instrumentation.js', 'runtime') },
];

/** Every instrumentation's settings, for the settings table (a setting two of them share is listed once there). */
export const INSTRUMENTATION_SETTINGS: readonly Setting[] = [...INSTRUMENTATIONS.flatMap((entry) => entry.settings ?? []), ...DB_SETTINGS, ...MESSAGING_SETTINGS];
