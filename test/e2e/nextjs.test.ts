// Next.js 16 (the project's devDependency) under the real launcher: the suite in nextjs-suite.ts, with
// `next start`, the custom server (CommonJS and ESM) and the standalone server.js of the same build.

import { join } from 'node:path';
import { ROOT } from '../support/run-cli.js';
import { nextjsSuite } from './nextjs-suite.js';

nextjsSuite('Next.js 16', async () => ({ nodeModules: join(ROOT, 'node_modules') }), ['custom server', 'custom server (ESM)', 'standalone']);
