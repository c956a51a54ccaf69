// While the process is on its way out (the final flush at beforeExit), exports make one last
// attempt and are not retried: a collector that is down must not hold the app's exit for the
// whole backoff schedule. Waiting retries are woken up to make that attempt now.
// Under the launcher there is no such flush: what is pending at exit is handed over to the launcher
// (src/exit/app-handoff.ts), so an export in flight does not keep the process alive either.

const wakers = new Set<() => void>();
let leaving = false;

export function isLeaving(): boolean {
  return leaving;
}

/** Registers a function that makes a waiting retry attempt now; returns its remover. */
export function onLeaving(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function beginLeaving(): void {
  leaving = true;
  const waiting = [...wakers];
  wakers.clear();
  for (const wake of waiting) wake();
}

/** The app went on after beforeExit (it scheduled more work): back to normal retries. */
export function endLeaving(): void {
  leaving = false;
}

let handedOver = false;

/** What is pending at exit goes to the launcher: from now on an export in flight never holds the process. */
export function pendingGoesToTheLauncher(): void {
  handedOver = true;
}

/** Whether a transport refs its connection while a request is in flight (without the launcher it must, or it is lost). */
export function inFlightHoldsTheProcess(): boolean {
  return !handedOver;
}
