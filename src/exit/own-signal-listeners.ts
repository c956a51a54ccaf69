// Our own signal listeners that only send what is pending and then let the signal end the process
// (app-shutdown.ts). They replace Node's default action in form only, so the launcher link does not
// count them as the app listening (app-launcher-link.ts): to the launcher, such a signal still ends the app.

const own = new WeakSet<object>();

export function markOwnSignalListener(listener: (...args: never[]) => unknown): void {
  own.add(listener);
}

export function isOwnSignalListener(listener: unknown): boolean {
  return typeof listener === 'function' && own.has(listener);
}

/**
 * How many of a signal's listeners are signal-exit's (v4 keeps its emitter on globalThis, v3 on
 * process; each loaded copy adds one listener per signal and counts itself in `count`). Like ours,
 * they only clean up and re-raise, and only once no one else listens.
 */
export function signalExitListeners(): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[Symbol.for('signal-exit emitter')];
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__;
  const count = (emitter: { count?: unknown } | undefined): number => (typeof emitter?.count === 'number' ? emitter.count : 0);
  return count(v4) + count(v3);
}
