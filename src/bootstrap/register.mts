// The ESM preload (`node --import otel-instrument/register`). The CommonJS preload does all the
// work, the import hooks included (src/hook/esm-hooks.ts); this file only makes `--import` an
// equivalent way in, for users who prefer it (a no-op if `--require` already ran).

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./register.js');
