// The koa instrumentation's one guard: a fault in any of its patches (koa's emit, the routers'
// register, a route handler's wrapper) turns all of them off, never the app.

import { Guard } from '../../src/hook/guard.js';

export const guard = new Guard('koa');
