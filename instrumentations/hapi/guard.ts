// The hapi instrumentation's one Guard: a fault in any of its patches turns all of them off.

import { Guard } from '../../src/hook/guard.js';

export const guard = new Guard('hapi');
