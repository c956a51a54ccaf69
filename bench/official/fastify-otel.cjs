'use strict';
// What the official setup asks of a fastify app: @fastify/otel beside the auto-instrumentations
// (which have no fastify instrumentation). Preloaded after @opentelemetry/auto-instrumentations-node/register
// for the fastify app only; registerOnInitialization adds its plugin to every fastify instance as
// fastify makes it (the 'fastify.initialization' channel), so the app itself is unchanged. Its
// tracer comes from the global provider the register preload set up.
const { FastifyOtelInstrumentation } = require('@fastify/otel');

new FastifyOtelInstrumentation({ registerOnInitialization: true });
