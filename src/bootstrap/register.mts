// The ESM preload (`node --import otel-instrument/register`). Starts the same bootstrap as
// the CommonJS preload; when both are given (as the launcher does) the second is a no-op.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('./register.js');
