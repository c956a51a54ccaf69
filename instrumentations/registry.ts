// Every instrumentation we have, by name and module. Its code is required only when the
// app first loads one of its modules, so an unused instrumentation costs nothing.

import type { InstrumentationEntry } from './types.js';

export const INSTRUMENTATIONS: readonly InstrumentationEntry[] = [
  {
    name: 'http',
    modules: ['http', 'https'],
    load: () => (require('./http/index.js') as typeof import('./http/index.js')).http,
  },
];
