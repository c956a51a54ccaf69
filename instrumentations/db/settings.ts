// The settings every database instrumentation shares (pg, mysql2, redis, ...). Data only: the
// registry hands them to the settings table once, whichever database libraries the app loads.

import { defineSetting } from '../../src/config/setting.js';
import { bool } from '../../src/config/setting-types.js';

// Users complain of startup migrations and timers flooding traces with one-span traces (contrib #2017):
// a database call outside any trace records its duration metric but starts no trace unless asked.
export const DB_ROOT_SPANS = defineSetting({
  env: 'OTEL_NODE_DB_ROOT_SPANS',
  group: 'instrumentations',
  help: 'database and cache calls made outside any trace (startup, timers) start a trace of their own',
  type: bool,
  default: false,
});

// The conventions make parameter values opt-in: they may hold personal data.
export const DB_CAPTURE_PARAMETERS = defineSetting({
  env: 'OTEL_NODE_DB_CAPTURE_PARAMETERS',
  group: 'instrumentations',
  help: 'record query parameter values as db.query.parameter.<key> (they may hold personal data)',
  type: bool,
  default: false,
});

// Waiting for a pooled connection is part of a query's span already; a span of its own for it is
// detail most traces do not want (the official pg-pool.connect spans are a common complaint).
export const DB_POOL_SPANS = defineSetting({
  env: 'OTEL_NODE_DB_POOL_SPANS',
  group: 'instrumentations',
  help: 'a span for each wait for a pooled connection (pg, mysql2, mongodb pools), under the operation\'s trace, never a root',
  type: bool,
  default: false,
});

export const DB_SETTINGS = [DB_ROOT_SPANS, DB_CAPTURE_PARAMETERS, DB_POOL_SPANS];
