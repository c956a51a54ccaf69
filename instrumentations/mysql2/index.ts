// mysql2 3.x: a CLIENT span per query and execute (connection.ts), context kept through pools (pool.ts).
// Both files are mysql2's internal classes: lib/connection.js (whose base class defines query and
// execute) and lib/pool.js (getConnection), which the callback, promise and cluster APIs all reach.

import type { Instrumentation } from '../../src/hook/instrumentation.js';
import { patchConnectionClass } from './connection.js';
import { patchPoolClass } from './pool.js';

const VERSIONS = '>=3.0.0 <4';

export const mysql2: Instrumentation = {
  name: 'mysql2',
  targets: [
    { module: 'mysql2/lib/connection.js', versions: VERSIONS, patch: (exports, telemetry) => patchConnectionClass(exports, telemetry) },
    { module: 'mysql2/lib/pool.js', versions: VERSIONS, patch: (exports, telemetry) => patchPoolClass(exports, telemetry) },
  ],
};
