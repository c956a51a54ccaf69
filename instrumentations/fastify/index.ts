// fastify 4 and 5: http.route and the name of the http server span, errors fastify handles on it,
// a span for each route handler, and (OTEL_NODE_FASTIFY_HOOK_SPANS) for each request hook.
// fastify announces each instance it makes on the 'fastify.initialization' diagnostics channel,
// under whatever name the app loaded it, CommonJS or ESM: that is our only way in, so there is no
// module to hook. At startup only this stub subscribes; the rest loads with the first instance.

import { subscribe } from 'node:diagnostics_channel';
import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { diag } from '../../src/diag/log.js';

type InstrumentInstance = typeof import('./instrument-instance.js').instrumentInstance;

export const fastify: Instrumentation = {
  name: 'fastify',
  targets: [],
  subscribe(telemetry) {
    let instrument: InstrumentInstance | undefined;
    // A subscriber's throw would surface as an uncaught exception in the app.
    subscribe('fastify.initialization', (message) => {
      try {
        instrument ??= (require('./instrument-instance.js') as typeof import('./instrument-instance.js')).instrumentInstance;
        instrument((message as { fastify?: unknown } | null)?.fastify, telemetry);
      } catch (error) {
        diag.debug(`instrumentation fastify could not instrument an instance: ${String(error)}`);
      }
    });
  },
};
