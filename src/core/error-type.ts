// error.type for an operation that failed with an exception: the one rule every instrumentation
// uses (http server and client, express, undici, and the database and messaging ones to come).
// Semantic conventions (error.type, stable): a low-cardinality class of error; a component's own
// error identifier or the exception's class name; '_OTHER' when there is neither. A status code
// (HTTP's 5xx, a database's error code) is the protocol's own rule: see instrumentations/http/error-type.ts.

import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '../otel-api/enums.js';
import { errorClassName, recordFailure } from './exception-attributes.js';

export const ATTR_ERROR_TYPE = 'error.type';
/** Our component-specific identifier for a call or response cut off before it completed, with no exception. */
export const ERROR_TYPE_ABORTED = 'aborted';

/** The conventions' fallback value when nothing better identifies the error. */
export const ERROR_TYPE_OTHER = '_OTHER';

/**
 * A string `code` first (Node's ECONNREFUSED, undici's UND_ERR_SOCKET: identifiers made to classify
 * failures, and low-cardinality), then the class name, else '_OTHER'. Numeric codes (DOMException's
 * legacy 20 for AbortError) are not identifiers, so the class name wins there.
 */
export function errorTypeOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return ERROR_TYPE_OTHER;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  return errorClassName(error) ?? ERROR_TYPE_OTHER;
}

/**
 * The one error rule on a failed call's span: error.type, and, when there is an error object, its
 * exception event with the ERROR status carrying its message (a failure without one: the status alone).
 */
export function failSpan(span: Span, errorType: string, error?: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  if (error !== undefined) recordFailure(span, error);
  else span.setStatus({ code: SpanStatusCode.ERROR });
}
