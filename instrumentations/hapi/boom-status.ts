// Whether what a hapi lifecycle method ended with is a failure of the server. hapi turns everything a
// handler or extension throws into a Boom (boomify keeps the thrown object; a TypeError and its kin
// become a copy), and a Boom carries the status hapi will answer with (output.statusCode). Below 500
// it is the client's fault (http's rule, serverStatusErrorType): Boom.notFound() is how a hapi
// handler answers 404, not a failure, so it is recorded nowhere. 500 and above, or anything that is
// not a Boom, is.

import { serverStatusErrorType } from '../http/error-type.js';

export function isBoom(value: unknown): boolean {
  return value instanceof Error && (value as { isBoom?: unknown }).isBoom === true;
}

export function isServerFailure(error: unknown): boolean {
  if (!isBoom(error)) return true;
  const status = (error as { output?: { statusCode?: unknown } }).output?.statusCode;
  return typeof status !== 'number' || serverStatusErrorType(status) !== undefined;
}
