// http and https: server spans (Server#emit) and client spans (request/get).

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { patchClient } from './client.js';
import { readHttpOptions, type HttpOptions } from './options.js';
import { setKnownMethods } from './semconv.js';
import { patchServer } from './server.js';

let options: HttpOptions | undefined;

/** Taken from the configuration once, when http or https is first patched. */
function httpOptions(telemetry: Telemetry): HttpOptions {
  if (options === undefined) {
    options = readHttpOptions(telemetry.config);
    setKnownMethods(options.knownMethods);
  }
  return options;
}

function patchModule(exports: unknown, scheme: 'http' | 'https', telemetry: Telemetry): unknown {
  const module = exports as typeof import('node:http');
  const opts = httpOptions(telemetry);
  // An ESM namespace may lack Server (named bindings only): the prototype is shared anyway.
  if (typeof module.Server === 'function') patchServer(module.Server.prototype, scheme, telemetry, opts);
  patchClient(module, scheme, telemetry, opts);
  return exports;
}

export const http: Instrumentation = {
  name: 'http',
  targets: [
    { module: 'http', versions: '*', patch: (exports, telemetry) => patchModule(exports, 'http', telemetry) },
    { module: 'https', versions: '*', patch: (exports, telemetry) => patchModule(exports, 'https', telemetry) },
  ],
};
