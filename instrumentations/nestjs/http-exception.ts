// Whether what a Nest route raised is a failure of the server. Nest's exception filter answers an
// HttpException (NotFoundException, ForbiddenException from a guard, BadRequestException from a
// pipe, ...) with the status it carries (getStatus()), and anything else with 500. Below 500 it is
// the client's fault (http's rule, serverStatusErrorType): a controller's NotFoundException is how
// Nest answers 404, not a failure, so it is recorded nowhere. 500 and above, or anything that is
// not an HttpException, is.
//
// Recognised by shape (getStatus and getResponse), not by class: an app may hold another copy of
// @nestjs/common than one we could load, loading it ourselves is what we must not do, and a bundler
// may rename the class. An exception filter of the app's own that answers something else (a domain
// error as 404) is not known here: such an error is still recorded, while http leaves the server
// span's status unset for the 4xx that went out.

import { serverStatusErrorType } from '../http/error-type.js';

interface HttpExceptionLike {
  getStatus(): unknown;
  getResponse(): unknown;
}

function isHttpException(error: object): error is HttpExceptionLike {
  return typeof (error as { getStatus?: unknown }).getStatus === 'function' && typeof (error as { getResponse?: unknown }).getResponse === 'function';
}

export function isServerFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object' || !isHttpException(error)) return true;
  let status: unknown;
  try {
    status = error.getStatus();
  } catch {
    // A getStatus that fails says nothing about an answer: a failure.
    return true;
  }
  return typeof status !== 'number' || serverStatusErrorType(status) !== undefined;
}
