// The global fetch and the undici package: client spans from undici's diagnostics channels.

import type { Instrumentation } from '../types.js';
import { readList } from '../../src/config/env-readers.js';
import { setKnownMethods } from '../http/semconv.js';
import { subscribeUndiciChannels } from './channels.js';

export const undici: Instrumentation = {
  name: 'undici',
  targets: [],
  subscribe(telemetry) {
    // The http instrumentation sets the same list when http loads; an app may only ever fetch.
    setKnownMethods(readList(process.env, 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS', { lowerCase: false }));
    subscribeUndiciChannels(telemetry);
  },
};
