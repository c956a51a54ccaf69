// How a failed undici request is reported: error.type, and whether it was a cancellation.
//
// Cancellation is not an error (semantic conventions: intentional client cancellation is not
// an error), so it leaves the span status alone. What counts as one:
// - an error named 'AbortError': AbortController#abort() without a reason gives a DOMException
//   (name 'AbortError', numeric code 20); undici's own RequestAbortedError is named so too;
// - a reason that is not an Error at all: abort('why') passes the string through, and fetch
//   cancels a response whose body was never read, once it is garbage collected, with the string
//   'Response object has been garbage collected'. undici itself only ever fails with Errors.
// AbortSignal.timeout() fails with a DOMException named 'TimeoutError': a timeout is an error.

import { errorTypeOf } from '../../src/core/error-type.js';

export interface RequestFailure {
  /** error.type by the shared rule (src/core/error-type.ts): string code (ECONNREFUSED, UND_ERR_SOCKET...), else class name, else '_OTHER'. */
  readonly errorType: string;
  readonly cancelled: boolean;
}

export const ABORT_ERROR_TYPE = 'AbortError';

export function describeFailure(error: unknown): RequestFailure {
  if (error === null || typeof error !== 'object') return { errorType: ABORT_ERROR_TYPE, cancelled: true };
  if ((error as { name?: unknown }).name === ABORT_ERROR_TYPE) return { errorType: ABORT_ERROR_TYPE, cancelled: true };
  // DOMException codes are numbers (TimeoutError is 23): errorTypeOf takes string codes only.
  return { errorType: errorTypeOf(error), cancelled: false };
}
