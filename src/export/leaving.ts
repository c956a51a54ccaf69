// While the process is on its way out (the final flush at beforeExit), exports make one last
// attempt and are not retried: a collector that is down must not hold the app's exit for the
// whole backoff schedule. Waiting retries are woken up to make that attempt now.

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
