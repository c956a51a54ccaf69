// When an operation asked the pool for the connection it now holds: its first command's span starts
// then, so it covers the wait for a pooled connection, as the conventions' span duration asks (the
// call as the caller saw it). Taken once: later commands on the same checkout start when sent.

const ASKED_AT = Symbol('otel-instrument.mongodb.checkout');

interface Marked {
  [ASKED_AT]?: number | undefined;
}

export function markCheckout(connection: unknown, askedAt: number): void {
  if (connection !== null && typeof connection === 'object') (connection as Marked)[ASKED_AT] = askedAt;
}

export function takeCheckout(connection: object): number | undefined {
  const marked = connection as Marked;
  const askedAt = marked[ASKED_AT];
  if (askedAt !== undefined) marked[ASKED_AT] = undefined;
  return askedAt;
}
