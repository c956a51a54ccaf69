'use strict';
// Preloaded by bench/profile.mjs: SIGTERM ends the app with a normal exit, so `--cpu-prof` writes
// its profile (Node's default SIGTERM action kills the process before it can).
process.on('SIGTERM', () => process.exit(0));
