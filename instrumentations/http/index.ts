// http and https: server spans (Server#emit) and client spans (request/get).

import type { Instrumentation } from '../types.js';
import { patchClient } from './client.js';
import { patchServer } from './server.js';

export const http: Instrumentation = {
  name: 'http',
  targets: [
    {
      module: 'http',
      versions: '*',
      patch(exports, telemetry) {
        const module = exports as typeof import('node:http');
        patchServer(module.Server.prototype, 'http', telemetry);
        patchClient(module, 'http', telemetry);
        return exports;
      },
    },
    {
      module: 'https',
      versions: '*',
      patch(exports, telemetry) {
        const module = exports as typeof import('node:https');
        patchServer(module.Server.prototype, 'https', telemetry);
        patchClient(module as unknown as typeof import('node:http'), 'https', telemetry);
        return exports;
      },
    },
  ],
};
