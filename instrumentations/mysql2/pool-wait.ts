// When the app called pool.query or pool.execute, handed to the span of the query the pool then sends:
// the conventions' span covers the call as the app saw it, the wait for a connection included.
// mysql2's pool calls getConnection synchronously from query/execute, and the query from
// getConnection's callback, synchronously too: two short-lived module slots carry the time across.

/** Set by pool.query/execute for the getConnection it makes at once. */
let calledAt: number | undefined;
/** Set while getConnection's callback runs for such a call: the query it sends is the pool's. */
let dispatchedAt: number | undefined;

/** Calls the pool's query/execute as the app did, marking when the app called it. */
export function poolCall(original: Function, self: unknown, args: ArrayLike<unknown>): unknown {
  calledAt = performance.now();
  try {
    return Reflect.apply(original, self, args);
  } finally {
    calledAt = undefined;
  }
}

/** getConnection: when the pool call that made it began, if a pool call did. */
export function takePoolCallTime(): number | undefined {
  const at = calledAt;
  calledAt = undefined;
  return at;
}

/** The getConnection callback, marking the pool call's time while it runs. */
export function dispatchingAt<F extends (...args: any[]) => unknown>(at: number | undefined, callback: F): F {
  if (at === undefined) return callback;
  return function (this: unknown) {
    dispatchedAt = at;
    try {
      return Reflect.apply(callback, this, arguments);
    } finally {
      dispatchedAt = undefined;
    }
  } as F;
}

/** connection.query/execute: the pool call's time when this query is the pool's, taken once. */
export function takeDispatchTime(): number | undefined {
  const at = dispatchedAt;
  dispatchedAt = undefined;
  return at;
}
