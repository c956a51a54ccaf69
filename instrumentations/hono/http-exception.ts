// Whether an error a hono handler raised is a failure of the server. hono's HTTPException (and any
// error its default error handler answers through `getResponse()`) carries the status it answers with:
// one below 500 is the client's fault (http's rule, serverStatusErrorType), an answer rather than a
// failure, so it is recorded nowhere. Anything else (a plain Error, a thrown string) is.

import { serverStatusErrorType } from '../http/error-type.js';

export function isServerFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return true;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || typeof (error as { getResponse?: unknown }).getResponse !== 'function') return true;
  return serverStatusErrorType(status) !== undefined;
}
