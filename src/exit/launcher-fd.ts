// A socket the launcher gave its direct child, by the fd number named in `variable`: the exit handoff
// (app-handoff.ts) and the signal link (app-launcher-link.ts) each have one.

import { fstatSync } from 'node:fs';

/** The fd, if this process is the launcher's direct child (main thread) and the fd is a socket. */
export function launcherFd(variable: string): number | undefined {
  const fd = Number(process.env[variable]);
  if (!Number.isInteger(fd) || fd < 3) return undefined;
  if (String(process.ppid) !== process.env.OTEL_INSTRUMENT_LAUNCHER_PID) return undefined;
  const { isMainThread } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!isMainThread) return undefined;
  try {
    // bigint: on Node 20.20 a plain fstatSync of a socket leaves the shared stat buffer in a state after
    // which require() stops resolving symlinks (pnpm's and npm link's node_modules: a package loaded
    // twice, the ESM hooks never firing); the bigint form uses a buffer of its own.
    return fstatSync(fd, { bigint: true }).isSocket() ? fd : undefined;
  } catch {
    return undefined;
  }
}
