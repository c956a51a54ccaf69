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
