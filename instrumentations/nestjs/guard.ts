// The NestJS instrumentation's one guard: a fault in any of its patches (the router registration,
// a route's wrapper) turns all of them off, never the app.

import { Guard } from '../../src/hook/guard.js';

export const guard = new Guard('nestjs');
