// The fastify instrumentation's settings. Data only: the settings table (src/config) takes them in
// through the registry without loading the instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { bool } from '../../src/config/setting-types.js';

// Off unless asked: a span per hook costs every request, and the hooks' functions have to be
// wrapped for it (the handler span and http.route need no such wrapping on fastify 5).
export const HOOK_SPANS = defineSetting({
  env: 'OTEL_NODE_FASTIFY_HOOK_SPANS',
  group: 'instrumentations',
  help: 'a span for each fastify request hook (onRequest, preHandler, onSend, ...) the app adds',
  type: bool,
  default: false,
});

export const FASTIFY_SETTINGS = [HOOK_SPANS];
